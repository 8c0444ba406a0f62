//! Lowercase hexadecimal text of a digest, as names, uids and checksums
//! carry it.

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// The first `length` hexadecimal digits of `bytes` (two a byte); all of
/// them when `bytes` has fewer.
pub fn lower_hex(bytes: &[u8], length: usize) -> String {
    let mut text = String::with_capacity(length.min(bytes.len() * 2));
    for &byte in bytes {
        for digit in [byte >> 4, byte & 0x0f] {
            if text.len() == length {
                return text;
            }
            text.push(char::from(DIGITS[usize::from(digit)]));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::lower_hex;

    #[test]
    fn writes_two_digits_a_byte_up_to_the_length() {
        let bytes = [0x00, 0x0f, 0xa5, 0xff];
        assert_eq!(lower_hex(&bytes, usize::MAX), "000fa5ff");
        assert_eq!(lower_hex(&bytes, 8), "000fa5ff");
        assert_eq!(lower_hex(&bytes, 5), "000fa");
        assert_eq!(lower_hex(&bytes, 0), "");
        assert_eq!(lower_hex(&[], 4), "");
        let formatted: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(lower_hex(&bytes, usize::MAX), formatted);
    }
}
