//! `Cidr`: an IPv4 or IPv6 block as written in `egress` and `network.apiServer`,
//! parsed strictly so a mistake is reported at the spec instead of being
//! rejected (or, worse, silently widened) by the API server or the CNI.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cidr {
    address: IpAddr,
    prefix: u8,
}

/// `text` as a canonical CIDR block, or why it is not one.
pub(crate) fn canonical_cidr(text: &str) -> Result<String, String> {
    Cidr::parse(text).map(|cidr| cidr.to_string())
}

impl Cidr {
    /// Parses `address/prefix`. Host bits must be zero: `10.1.2.3/8` is almost
    /// always a typo for `/32` or for `10.0.0.0/8`, and Kubernetes' strict CIDR
    /// validation rejects it.
    pub(super) fn parse(text: &str) -> Result<Cidr, String> {
        let Some((address, prefix)) = text.split_once('/') else {
            return Err(match text.parse::<IpAddr>() {
                Ok(IpAddr::V4(_)) => format!("no prefix length: write `{text}/32` for one address"),
                Ok(IpAddr::V6(_)) => {
                    format!("no prefix length: write `{text}/128` for one address")
                }
                Err(_) => "expected an address and a prefix length, e.g. `10.0.0.0/8`".to_owned(),
            });
        };
        let address: IpAddr = address
            .parse()
            .map_err(|_| format!("`{address}` is not an IPv4 or IPv6 address"))?;
        let bits = bits(address);
        let prefix: u8 = prefix
            .parse()
            .ok()
            .filter(|prefix| *prefix <= bits && !prefix_has_leading_zero(text))
            .ok_or_else(|| format!("the prefix length must be a number from 0 to {bits}"))?;
        let cidr = Cidr { address, prefix };
        let network = cidr.network();
        if network != cidr {
            return Err(format!(
                "bits after the prefix are set: did you mean `{network}` or `{address}/{bits}`?"
            ));
        }
        Ok(cidr)
    }

    /// Whether `other` lies inside this block (same IP version, longer or
    /// equal prefix, same leading bits).
    pub(super) fn contains(&self, other: &Cidr) -> bool {
        bits(self.address) == bits(other.address)
            && other.prefix >= self.prefix
            && masked(other.address, self.prefix) == masked(self.address, self.prefix)
    }

    /// The block with every bit after the prefix cleared.
    fn network(&self) -> Cidr {
        Cidr {
            address: from_bits(self.address, masked(self.address, self.prefix)),
            prefix: self.prefix,
        }
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

fn prefix_has_leading_zero(text: &str) -> bool {
    text.rsplit_once('/')
        .is_some_and(|(_, prefix)| prefix.len() > 1 && prefix.starts_with('0'))
}

fn bits(address: IpAddr) -> u8 {
    match address {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

/// The address as a left-aligned 128-bit number with the bits after
/// `prefix` cleared.
fn masked(address: IpAddr, prefix: u8) -> u128 {
    let value = match address {
        IpAddr::V4(v4) => u128::from(u32::from(v4)) << 96,
        IpAddr::V6(v6) => u128::from(v6),
    };
    let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
    value & mask
}

fn from_bits(like: IpAddr, value: u128) -> IpAddr {
    match like {
        IpAddr::V4(_) => {
            let v4 = u32::try_from(value >> 96).expect("a shifted IPv4 address fits 32 bits");
            IpAddr::V4(Ipv4Addr::from(v4))
        }
        IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::from(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(text: &str, expected: Result<&str, &str>) {
        let parsed = Cidr::parse(text).map(|c| c.to_string());
        match (parsed, expected) {
            (Ok(cidr), Ok(want)) => assert_eq!(cidr, want, "{text}"),
            (Err(problem), Err(want)) => assert!(problem.contains(want), "{text}: {problem}"),
            (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn parses_canonical_blocks_only() {
        case("10.0.0.0/8", Ok("10.0.0.0/8"));
        case("0.0.0.0/0", Ok("0.0.0.0/0"));
        case("203.0.113.7/32", Ok("203.0.113.7/32"));
        case("::/0", Ok("::/0"));
        case("2001:db8::/32", Ok("2001:db8::/32"));
        case(
            "10.1.2.3/8",
            Err("did you mean `10.0.0.0/8` or `10.1.2.3/32`?"),
        );
        case("10.0.0.1", Err("write `10.0.0.1/32`"));
        case("2001:db8::1", Err("write `2001:db8::1/128`"));
        case("10.0.0.0/33", Err("from 0 to 32"));
        case("10.0.0.0/08", Err("from 0 to 32"));
        case("10.0.0.0/", Err("from 0 to 32"));
        case("10.0.0/8", Err("is not an IPv4 or IPv6 address"));
        case("internet", Err("e.g. `10.0.0.0/8`"));
    }

    #[track_caller]
    fn contains(outer: &str, inner: &str, expected: bool) {
        let outer = Cidr::parse(outer).expect("valid outer");
        let inner = Cidr::parse(inner).expect("valid inner");
        assert_eq!(outer.contains(&inner), expected, "{outer} ∋ {inner}");
    }

    #[test]
    fn containment() {
        contains("10.0.0.0/8", "10.20.0.0/16", true);
        contains("10.0.0.0/8", "10.0.0.0/8", true);
        contains("10.0.0.0/8", "11.0.0.0/16", false);
        contains("10.0.0.0/16", "10.0.0.0/8", false);
        contains("0.0.0.0/0", "169.254.169.254/32", true);
        contains("0.0.0.0/0", "fc00::/7", false);
        contains("::/0", "fc00::/7", true);
    }
}
