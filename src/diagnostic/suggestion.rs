//! Did-you-mean: the closest known word to a misspelt one.

/// The candidate closest to `word` by edit distance, if it is close enough to be
/// a plausible typo (distance at most 2, or 3 for long words), ignoring case.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lowered = word.to_ascii_lowercase();
    let limit = if word.chars().count() > 8 { 3 } else { 2 };
    candidates
        .into_iter()
        .map(|candidate| {
            let distance = strsim::damerau_levenshtein(&lowered, &candidate.to_ascii_lowercase());
            (distance, candidate)
        })
        .filter(|&(distance, candidate)| distance <= limit && distance < candidate.len())
        .min()
        .map(|(_, candidate)| candidate)
}

/// "did you mean `x`?" for [`closest`], ready for a diagnostic's help line.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(|found| format!("did you mean `{found}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(word: &str, candidates: &[&str], expected: Option<&str>) {
        assert_eq!(closest(word, candidates.iter().copied()), expected);
    }

    #[test]
    fn suggests_close_words_only() {
        case("replicass", &["replicas", "image"], Some("replicas"));
        case("imgae", &["replicas", "image"], Some("image"));
        case(
            "health-postgress",
            &["health-postgres", "redis"],
            Some("health-postgres"),
        );
        case("xyz", &["replicas", "image"], None);
        case("a", &["b"], None);
    }
}
