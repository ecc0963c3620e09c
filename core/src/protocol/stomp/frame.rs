//! STOMP frames (STOMP 1.2 §"STOMP Frames", and 1.0/1.1): a command line, `name:value` headers
//! escaped as the version says, a blank line, a body that ends at a NUL or runs for
//! `content-length` bytes (which may hold NULs), and the NUL. EOLs between frames are
//! heart-beats. Frames may be split across WebSocket messages or packed into one.

use std::fmt;

/// A frame this large is not waited for: the broker or the link is broken.
pub const MAX_FRAME: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StompVersion {
    V10,
    V11,
    #[default]
    V12,
}

impl StompVersion {
    /// CONNECTED's `version` header; absent means 1.0.
    pub fn from_header(value: Option<&str>) -> Option<Self> {
        match value.map(str::trim) {
            None | Some("1.0") => Some(Self::V10),
            Some("1.1") => Some(Self::V11),
            Some("1.2") => Some(Self::V12),
            Some(_) => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::V10 => "1.0",
            Self::V11 => "1.1",
            Self::V12 => "1.2",
        }
    }

    /// The WebSocket subprotocol naming this version.
    pub fn subprotocol(self) -> &'static str {
        match self {
            Self::V10 => "v10.stomp",
            Self::V11 => "v11.stomp",
            Self::V12 => "v12.stomp",
        }
    }

    /// The version a negotiated subprotocol names.
    pub fn negotiated(subprotocol: &str) -> Option<Self> {
        [Self::V10, Self::V11, Self::V12]
            .into_iter()
            .find(|v| v.subprotocol() == subprotocol.trim())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub command: String,
    /// In order; a repeated header's first value is the one that counts (1.2).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Frame {
    pub fn new(command: &str) -> Self {
        Self {
            command: command.to_string(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// The body, with the `content-length` that lets it hold NULs.
    pub fn with_body(mut self, body: Vec<u8>) -> Self {
        self.headers
            .push(("content-length".into(), body.len().to_string()));
        self.body = body;
        self
    }

    /// The first value of header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The bytes of this frame as `version` writes them.
    pub fn encode(&self, version: StompVersion) -> Vec<u8> {
        let escaped = escapes(&self.command, version);
        let mut out = Vec::with_capacity(self.body.len() + 64);
        out.extend_from_slice(self.command.as_bytes());
        out.push(b'\n');
        for (name, value) in &self.headers {
            write_escaped(&mut out, name, escaped, version);
            out.push(b':');
            write_escaped(&mut out, value, escaped, version);
            out.push(b'\n');
        }
        out.push(b'\n');
        out.extend_from_slice(&self.body);
        out.push(0);
        out
    }
}

/// CONNECT and CONNECTED are never escaped, so that a 1.0 peer reads them (1.2 §"Value
/// Encoding"); 1.0 escapes nothing.
fn escapes(command: &str, version: StompVersion) -> bool {
    version != StompVersion::V10 && command != "CONNECT" && command != "CONNECTED"
}

fn write_escaped(out: &mut Vec<u8>, text: &str, escaped: bool, version: StompVersion) {
    if !escaped {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    for c in text.chars() {
        match c {
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            ':' => out.extend_from_slice(b"\\c"),
            // 1.1 has no escape for CR; it cannot be sent there.
            '\r' if version == StompVersion::V12 => out.extend_from_slice(b"\\r"),
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    NotUtf8,
    EmptyCommand,
    /// A header line with no colon.
    NoColon(String),
    /// `\t` and the like: 1.2 says such a frame is an error.
    UndefinedEscape(String),
    BadContentLength(String),
    /// `content-length` bytes were not followed by the NUL.
    NoNulAfterBody,
    /// A NUL came before the blank line that ends the headers.
    NoBlankLine,
    TooLarge(usize),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotUtf8 => write!(f, "the command or a header is not UTF-8"),
            Self::EmptyCommand => write!(f, "a frame with no command"),
            Self::NoColon(line) => write!(f, "the header line \u{201c}{line}\u{201d} has no colon"),
            Self::UndefinedEscape(seq) => write!(f, "undefined escape {seq} in a header"),
            Self::BadContentLength(v) => {
                write!(f, "content-length \u{201c}{v}\u{201d} is not a length")
            }
            Self::NoNulAfterBody => write!(f, "the body is longer than its content-length"),
            Self::NoBlankLine => {
                write!(f, "the frame ended before the blank line after its headers")
            }
            Self::TooLarge(n) => write!(
                f,
                "a frame of more than {} MiB ({n} bytes so far)",
                MAX_FRAME / (1024 * 1024)
            ),
        }
    }
}

/// One thing read from the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    Frame(Frame),
    /// EOLs between frames, however many came in a row.
    HeartBeats(u64),
}

/// What `decode` found at the start of the bytes.
enum Decoded {
    Read(Read, usize),
    /// Nothing complete: at least this many bytes in all are needed.
    Need(usize),
}

/// Decodes one frame (or heart-beat) at the start of `bytes`, read as `version` escapes:
/// Ok(None) when more bytes are needed, else what was read and how many bytes it took.
pub fn decode(bytes: &[u8], version: StompVersion) -> Result<Option<(Read, usize)>, DecodeError> {
    Ok(match decode_or_need(bytes, version)? {
        Decoded::Read(read, used) => Some((read, used)),
        Decoded::Need(_) => None,
    })
}

fn decode_or_need(bytes: &[u8], version: StompVersion) -> Result<Decoded, DecodeError> {
    match bytes {
        [] => return Ok(Decoded::Need(1)),
        [b'\n', ..] => return Ok(Decoded::Read(Read::HeartBeats(1), 1)),
        [b'\r', b'\n', ..] => return Ok(Decoded::Read(Read::HeartBeats(1), 2)),
        [b'\r'] => return Ok(Decoded::Need(2)),
        _ => {}
    }
    let Some((head_end, body_start)) = find_blank_line(bytes)? else {
        return too_large_or_wait(bytes.len(), bytes.len() + 1);
    };
    let head = bytes.get(..head_end).unwrap_or_default();
    let head = std::str::from_utf8(head).map_err(|_| DecodeError::NotUtf8)?;
    let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let command = lines.next().unwrap_or_default().to_string();
    if command.is_empty() {
        return Err(DecodeError::EmptyCommand);
    }
    let escaped = escapes(&command, version);
    let mut headers = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(DecodeError::NoColon(line.chars().take(80).collect()));
        };
        if escaped {
            headers.push((unescape(name, version)?, unescape(value, version)?));
        } else {
            headers.push((name.to_string(), value.to_string()));
        }
    }
    let rest = bytes.get(body_start..).unwrap_or_default();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map(|(_, v)| {
            v.trim()
                .parse::<usize>()
                .map_err(|_| DecodeError::BadContentLength(v.chars().take(40).collect()))
        })
        .transpose()?;
    let body_len = match length {
        Some(n) if n > MAX_FRAME => return Err(DecodeError::TooLarge(n)),
        Some(n) => match rest.get(n) {
            None => return too_large_or_wait(bytes.len(), body_start + n + 1),
            Some(0) => n,
            Some(_) => return Err(DecodeError::NoNulAfterBody),
        },
        None => match rest.iter().position(|b| *b == 0) {
            Some(n) => n,
            None => return too_large_or_wait(bytes.len(), bytes.len() + 1),
        },
    };
    let body = rest.get(..body_len).unwrap_or_default().to_vec();
    let frame = Frame {
        command,
        headers,
        body,
    };
    Ok(Decoded::Read(Read::Frame(frame), body_start + body_len + 1))
}

/// Waiting for `need` bytes in all, unless what is held is already too large.
fn too_large_or_wait(have: usize, need: usize) -> Result<Decoded, DecodeError> {
    if have > MAX_FRAME {
        Err(DecodeError::TooLarge(have))
    } else {
        Ok(Decoded::Need(need))
    }
}

/// Where the head (command and header lines) ends and the body starts: at the first blank
/// line. A NUL before it ends a frame that has no blank line.
fn find_blank_line(bytes: &[u8]) -> Result<Option<(usize, usize)>, DecodeError> {
    let mut line_start = 0;
    for (i, b) in bytes.iter().enumerate() {
        match b {
            0 => return Err(DecodeError::NoBlankLine),
            b'\n' => {
                let line = bytes.get(line_start..i).unwrap_or_default();
                if line_start > 0 && (line.is_empty() || line == b"\r") {
                    return Ok(Some((line_start - 1, i + 1)));
                }
                line_start = i + 1;
            }
            _ => {}
        }
    }
    Ok(None)
}

fn unescape(text: &str, version: StompVersion) -> Result<String, DecodeError> {
    if !text.contains('\\') {
        return Ok(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('c') => out.push(':'),
            Some('r') if version == StompVersion::V12 => out.push('\r'),
            Some(other) => return Err(DecodeError::UndefinedEscape(format!("\\{other}"))),
            None => return Err(DecodeError::UndefinedEscape("\\ at the end".into())),
        }
    }
    Ok(out)
}

/// The frames and heart-beats of a stream cut into WebSocket messages anywhere.
#[derive(Debug, Clone, Default)]
pub struct FrameStream {
    buffer: Vec<u8>,
    /// How many bytes the frame held needs at least before reading it again is worth it.
    need: usize,
}

impl FrameStream {
    /// Everything `bytes` completes, in order; an error ends what this call reads (the
    /// caller stops reading the stream).
    pub fn push(&mut self, bytes: &[u8], version: StompVersion) -> Vec<Result<Read, DecodeError>> {
        self.buffer.extend_from_slice(bytes);
        let mut out: Vec<Result<Read, DecodeError>> = Vec::new();
        // A frame held from before completes only with its NUL, and only once it has the
        // bytes it needs: a large frame trickling in is not read again at every piece.
        let held_frame = self.buffer.len() > bytes.len() && self.buffer.first() != Some(&b'\r');
        if held_frame && (self.buffer.len() < self.need || !bytes.contains(&0)) {
            if self.buffer.len() > MAX_FRAME {
                out.push(Err(DecodeError::TooLarge(self.buffer.len())));
                self.buffer.clear();
            }
            return out;
        }
        let mut used = 0;
        loop {
            match decode_or_need(self.buffer.get(used..).unwrap_or_default(), version) {
                Ok(Decoded::Read(Read::HeartBeats(n), size)) => {
                    used += size;
                    match out.last_mut() {
                        Some(Ok(Read::HeartBeats(count))) => *count += n,
                        _ => out.push(Ok(Read::HeartBeats(n))),
                    }
                }
                Ok(Decoded::Read(read, size)) => {
                    used += size;
                    out.push(Ok(read));
                }
                Ok(Decoded::Need(need)) => {
                    // Counted from where the held bytes will start once those read are gone.
                    self.need = need;
                    break;
                }
                Err(e) => {
                    out.push(Err(e));
                    used = self.buffer.len();
                    break;
                }
            }
        }
        self.buffer.drain(..used.min(self.buffer.len()));
        out
    }

    /// Bytes held for a frame not yet complete.
    pub fn pending(&self) -> usize {
        self.buffer.len()
    }
}

#[cfg(test)]
mod tests;
