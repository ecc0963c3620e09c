//! What MQTT's return and reason codes mean: CONNACK's return codes of 3.1.1 (§3.2.2.3) and the
//! reason codes of 5 (§2.4), with what to do about a refused connection.

use super::packet::MqttVersion;

/// A refused CONNACK, explained: its name, and what to check.
pub fn connack(version: MqttVersion, code: u8) -> (&'static str, &'static str) {
    match version {
        MqttVersion::V311 => match code {
            0 => ("Connection Accepted", ""),
            1 => (
                "unacceptable protocol version",
                "The broker does not speak MQTT 3.1.1: choose version 5, or a broker that does.",
            ),
            2 => (
                "identifier rejected",
                "The broker refuses this Client ID: give another, or none with Clean start.",
            ),
            3 => (
                "server unavailable",
                "The broker is up but its MQTT service is not: try again later.",
            ),
            4 => (
                "bad user name or password",
                "Check User name and Password (passwords are kept as secrets).",
            ),
            5 => (
                "not authorized",
                "The broker refuses this client: check its access rules for this user.",
            ),
            _ => (
                "an unknown return code",
                "MQTT 3.1.1 defines return codes 0 to 5 only.",
            ),
        },
        // Below 0x80 only a 3.1.1 broker's return code can come, refusing version 5.
        MqttVersion::V5 if (1..0x80).contains(&code) => match connack(MqttVersion::V311, code) {
            (name, _) if code == 1 => (
                name,
                "The broker speaks MQTT 3.1.1 only: choose version 3.1.1.",
            ),
            other => other,
        },
        MqttVersion::V5 => (reason_name(code), connack_advice(code)),
    }
}

fn connack_advice(code: u8) -> &'static str {
    match code {
        0x84 => "The broker does not speak MQTT 5: choose version 3.1.1.",
        0x85 => "The broker refuses this Client ID: give another, or none with Clean start.",
        0x86 => "Check User name and Password (passwords are kept as secrets).",
        0x87 => "The broker refuses this client: check its access rules for this user.",
        0x88 | 0x89 => "The broker cannot take the connection now: try again later.",
        0x8A => "The broker has banned this client.",
        0x8C => "The broker wants another authentication method.",
        0x95 => "The CONNECT packet is larger than the broker accepts: shorten the will.",
        0x9C | 0x9D => "The broker sends clients elsewhere: see its Server Reference.",
        0x9F => "Too many connections too fast: wait before connecting again.",
        _ => "",
    }
}

/// An MQTT 5 reason code's name, as the specification's table gives it.
pub fn reason_name(code: u8) -> &'static str {
    match code {
        0x00 => "Success",
        0x01 => "Granted QoS 1",
        0x02 => "Granted QoS 2",
        0x04 => "Disconnect with Will Message",
        0x10 => "No matching subscribers",
        0x11 => "No subscription existed",
        0x18 => "Continue authentication",
        0x19 => "Re-authenticate",
        0x80 => "Unspecified error",
        0x81 => "Malformed Packet",
        0x82 => "Protocol Error",
        0x83 => "Implementation specific error",
        0x84 => "Unsupported Protocol Version",
        0x85 => "Client Identifier not valid",
        0x86 => "Bad User Name or Password",
        0x87 => "Not authorized",
        0x88 => "Server unavailable",
        0x89 => "Server busy",
        0x8A => "Banned",
        0x8B => "Server shutting down",
        0x8C => "Bad authentication method",
        0x8D => "Keep Alive timeout",
        0x8E => "Session taken over",
        0x8F => "Topic Filter invalid",
        0x90 => "Topic Name invalid",
        0x91 => "Packet Identifier in use",
        0x92 => "Packet Identifier not found",
        0x93 => "Receive Maximum exceeded",
        0x94 => "Topic Alias invalid",
        0x95 => "Packet too large",
        0x96 => "Message rate too high",
        0x97 => "Quota exceeded",
        0x98 => "Administrative action",
        0x99 => "Payload format invalid",
        0x9A => "Retain not supported",
        0x9B => "QoS not supported",
        0x9C => "Use another server",
        0x9D => "Server moved",
        0x9E => "Shared Subscriptions not supported",
        0x9F => "Connection rate exceeded",
        0xA0 => "Maximum connect time",
        0xA1 => "Subscription Identifiers not supported",
        0xA2 => "Wildcard Subscriptions not supported",
        _ => "an unknown reason code",
    }
}

/// What a SUBACK code grants: `Ok(qos)` or the failure's name.
pub fn suback(version: MqttVersion, code: u8) -> Result<u8, &'static str> {
    match (version, code) {
        (_, 0..=2) => Ok(code),
        (MqttVersion::V311, 0x80) => Err("Failure"),
        (MqttVersion::V311, _) => Err("an unknown return code"),
        (MqttVersion::V5, _) => Err(reason_name(code)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_named_with_what_to_check() {
        assert_eq!(connack(MqttVersion::V311, 5).0, "not authorized");
        assert!(connack(MqttVersion::V311, 4).1.contains("Password"));
        assert_eq!(
            connack(MqttVersion::V5, 0x86).0,
            "Bad User Name or Password"
        );
        assert!(connack(MqttVersion::V5, 0x86).1.contains("Password"));
        assert_eq!(connack(MqttVersion::V311, 9).0, "an unknown return code");
        assert_eq!(suback(MqttVersion::V311, 1), Ok(1));
        assert_eq!(suback(MqttVersion::V311, 0x80), Err("Failure"));
        assert_eq!(suback(MqttVersion::V5, 0x87), Err("Not authorized"));
        for code in 0..=u8::MAX {
            assert!(!reason_name(code).is_empty());
        }
    }
}
