//! Addresses the relay will not connect to for a page when other machines can reach it.

use std::net::{IpAddr, SocketAddr};

/// AWS's instance metadata service over IPv6.
const AWS_METADATA_V6: [u16; 8] = [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254];

/// Why the relay will not dial `ip` when it listens beyond loopback, if it will not. Link-local
/// addresses are where cloud metadata services answer (169.254.169.254), handing out this
/// machine's credentials to whoever asks from it.
pub fn forbidden(ip: IpAddr) -> Option<&'static str> {
    // An IPv4 address written as IPv6 (::ffff:a.b.c.d) reaches the same place.
    match ip.to_canonical() {
        IpAddr::V4(v4) if v4.is_link_local() => {
            Some("a link-local address (169.254.0.0/16, where cloud metadata services answer)")
        }
        IpAddr::V4(_) => None,
        IpAddr::V6(v6) => {
            let s = v6.segments();
            if s == AWS_METADATA_V6 {
                Some("the cloud metadata address fd00:ec2::254")
            } else if s[0] & 0xffc0 == 0xfe80 {
                Some("a link-local address (fe80::/10)")
            } else if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] && s[6] == 0xa9fe {
                // NAT64 (RFC 6052) turns this into 169.254.x.y on the IPv4 side.
                Some("a link-local address (169.254.0.0/16) through NAT64")
            } else {
                None
            }
        }
    }
}

/// The resolved addresses of `host` the relay may dial. Only a relay that listens beyond
/// loopback refuses any: on loopback, the pages using it run on this machine, which can reach
/// these addresses anyway. Checked after resolution, on the very addresses dialled, so a name
/// cannot point somewhere else between the check and the connection.
pub fn allowed(
    addrs: Vec<SocketAddr>,
    host: &str,
    beyond_loopback: bool,
) -> Result<Vec<SocketAddr>, String> {
    if !beyond_loopback {
        return Ok(addrs);
    }
    let refused = addrs
        .iter()
        .find_map(|a| Some((a.ip(), forbidden(a.ip())?)));
    let kept: Vec<SocketAddr> = addrs
        .into_iter()
        .filter(|a| forbidden(a.ip()).is_none())
        .collect();
    match refused {
        Some((ip, why)) if kept.is_empty() => Err(format!(
            "{host} resolves to {ip}, {why}; the relay does not connect there while it listens \
             beyond loopback (--allow-remote), so other machines cannot use it to reach this \
             machine's cloud credentials"
        )),
        _ => Ok(kept),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn link_local_and_metadata_addresses_are_forbidden() {
        for bad in [
            "169.254.169.254",
            "169.254.0.1",
            "169.254.255.255",
            "::ffff:169.254.169.254",
            "fe80::1",
            "febf:ffff::1",
            "fd00:ec2::254",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(forbidden(ip(bad)).is_some(), "{bad}");
        }
        for ok in [
            "127.0.0.1",
            "::1",
            "10.0.0.1",
            "192.168.1.1",
            "169.255.0.1",
            "169.253.255.255",
            "fec0::1",
            "fd00:ec2::253",
            "::ffff:127.0.0.1",
            "64:ff9b::808:808",
        ] {
            assert_eq!(forbidden(ip(ok)), None, "{ok}");
        }
    }

    #[test]
    fn only_a_relay_listening_beyond_loopback_refuses_them() {
        let metadata: SocketAddr = "169.254.169.254:80".parse().unwrap();
        let v6: SocketAddr = "[fe80::1]:80".parse().unwrap();
        let fine: SocketAddr = "127.0.0.1:80".parse().unwrap();
        let all = vec![metadata, v6, fine];
        // On loopback, a page on this machine could reach them itself: nothing changes.
        assert_eq!(allowed(all.clone(), "h", false), Ok(all.clone()));
        // Beyond loopback, the others are still dialled; none left is an error that says why.
        assert_eq!(allowed(all, "h", true), Ok(vec![fine]));
        let Err(why) = allowed(vec![metadata, v6], "metadata.example", true) else {
            panic!("dialled")
        };
        for says in [
            "metadata.example",
            "169.254.169.254",
            "link-local",
            "--allow-remote",
        ] {
            assert!(why.contains(says), "{says}: {why}");
        }
    }
}
