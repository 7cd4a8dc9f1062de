//! libyaml's parser as an iterator of owned events.
//!
//! Google's Workflows service and most YAML tooling (PyYAML, Ruby, yq) read YAML with
//! libyaml, which accepts documents a strict YAML 1.2 parser rejects (a flow collection whose
//! lines sit at or left of its key, a quoted scalar continued in column 1). Baton reads YAML
//! with libyaml itself, as `unsafe-libyaml` (libyaml 0.2.5 translated to Rust; serde_yaml's
//! parser for years), so it accepts and rejects exactly what they do.
//!
//! This module is the only `unsafe` code in Baton: the C-style API is called as its
//! documentation says (a parser initialised once, not moved, given the input it borrows, and
//! deleted once; each event deleted after it is copied out).

#![allow(unsafe_code)]

use std::ffi::CStr;
use std::marker::PhantomData;
use std::mem::MaybeUninit;

/// Where libyaml is in the text: a byte offset (into the text after a byte-order mark) and
/// its 0-based line and column (columns count characters; libyaml's lines also end at a lone
/// `\r`, NEL, LS and PS).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Mark {
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, PartialEq)]
pub(crate) enum Event {
    DocumentStart,
    Scalar {
        text: String,
        style: Style,
        anchor: Option<String>,
    },
    SequenceStart {
        anchor: Option<String>,
    },
    MappingStart {
        anchor: Option<String>,
    },
    /// The end of a list or a map.
    End,
    Alias(String),
    /// Stream and document ends.
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    Plain,
    Quoted,
    Literal,
    Folded,
}

#[derive(Debug, PartialEq)]
pub(crate) struct Error {
    /// `None` when libyaml gives a byte offset only (reader errors such as a control
    /// character): then `offset` says where.
    pub mark: Option<Mark>,
    pub offset: usize,
    pub message: String,
}

/// The events of `text`, in order, ending after the stream end or at the first error.
pub(crate) struct Parser<'a> {
    raw: Box<MaybeUninit<unsafe_libyaml::yaml_parser_t>>,
    done: bool,
    text: PhantomData<&'a str>,
}

impl<'a> Parser<'a> {
    pub fn new(text: &'a str) -> Parser<'a> {
        let mut raw = Box::new(MaybeUninit::<unsafe_libyaml::yaml_parser_t>::uninit());
        let parser = raw.as_mut_ptr();
        // SAFETY: `parser` points to writable memory that stays put (boxed) until `drop`
        // deletes it; the input outlives the parser (`'a`) and its length is exact.
        let initialised = unsafe { unsafe_libyaml::yaml_parser_initialize(parser).ok };
        if initialised {
            unsafe {
                unsafe_libyaml::yaml_parser_set_input_string(
                    parser,
                    text.as_ptr(),
                    text.len() as u64,
                );
            }
        }
        Parser {
            raw,
            done: !initialised,
            text: PhantomData,
        }
    }

    fn error(&self) -> Error {
        // SAFETY: the parser was initialised (`done` is set otherwise) and holds its error.
        let prefix = unsafe { &*self.raw.as_ptr() };
        let mark = |m: unsafe_libyaml::yaml_mark_t| Mark {
            offset: usize::try_from(m.index).unwrap_or(usize::MAX),
            line: usize::try_from(m.line).unwrap_or(usize::MAX),
            column: usize::try_from(m.column).unwrap_or(usize::MAX),
        };
        let text = |s: *const std::ffi::c_char| {
            // SAFETY: libyaml's messages are static NUL-terminated strings, or null.
            (!s.is_null()).then(|| unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned())
        };
        let problem = text(prefix.problem).unwrap_or_else(|| "invalid YAML".into());
        let message = match text(prefix.context) {
            // "did not find expected key (while parsing a block mapping at line 3)"
            Some(context) if prefix.error != unsafe_libyaml::YAML_READER_ERROR => {
                let at = mark(prefix.context_mark);
                format!("{problem} ({context} at line {})", at.line + 1)
            }
            _ => problem,
        };
        match prefix.error {
            unsafe_libyaml::YAML_READER_ERROR => Error {
                mark: None,
                offset: usize::try_from(prefix.problem_offset).unwrap_or(usize::MAX),
                message,
            },
            _ => {
                let at = mark(prefix.problem_mark);
                Error {
                    mark: Some(at),
                    offset: at.offset,
                    message,
                }
            }
        }
    }
}

impl Iterator for Parser<'_> {
    type Item = Result<(Event, Mark), Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut raw = MaybeUninit::<unsafe_libyaml::yaml_event_t>::uninit();
        // SAFETY: the parser is initialised and has its input; on success libyaml fills the
        // event, which is read according to its type and then deleted.
        let parsed = unsafe {
            unsafe_libyaml::yaml_parser_parse(self.raw.as_mut_ptr(), raw.as_mut_ptr()).ok
        };
        if !parsed {
            self.done = true;
            return Some(Err(self.error()));
        }
        let event = unsafe { raw.assume_init_mut() };
        let start = event.start_mark;
        let mark = Mark {
            offset: usize::try_from(start.index).unwrap_or(usize::MAX),
            line: usize::try_from(start.line).unwrap_or(usize::MAX),
            column: usize::try_from(start.column).unwrap_or(usize::MAX),
        };
        // SAFETY: each union field is read only for its own event type.
        let owned = unsafe {
            match event.type_ {
                unsafe_libyaml::YAML_STREAM_END_EVENT => {
                    self.done = true;
                    Event::Other
                }
                unsafe_libyaml::YAML_DOCUMENT_START_EVENT => Event::DocumentStart,
                unsafe_libyaml::YAML_SCALAR_EVENT => {
                    let s = event.data.scalar;
                    let bytes =
                        std::slice::from_raw_parts(s.value, usize::try_from(s.length).unwrap_or(0));
                    Event::Scalar {
                        text: String::from_utf8_lossy(bytes).into_owned(),
                        style: match s.style {
                            unsafe_libyaml::YAML_PLAIN_SCALAR_STYLE => Style::Plain,
                            unsafe_libyaml::YAML_LITERAL_SCALAR_STYLE => Style::Literal,
                            unsafe_libyaml::YAML_FOLDED_SCALAR_STYLE => Style::Folded,
                            _ => Style::Quoted,
                        },
                        anchor: name(s.anchor),
                    }
                }
                unsafe_libyaml::YAML_SEQUENCE_START_EVENT => Event::SequenceStart {
                    anchor: name(event.data.sequence_start.anchor),
                },
                unsafe_libyaml::YAML_MAPPING_START_EVENT => Event::MappingStart {
                    anchor: name(event.data.mapping_start.anchor),
                },
                unsafe_libyaml::YAML_SEQUENCE_END_EVENT
                | unsafe_libyaml::YAML_MAPPING_END_EVENT => Event::End,
                unsafe_libyaml::YAML_ALIAS_EVENT => {
                    Event::Alias(name(event.data.alias.anchor).unwrap_or_default())
                }
                _ => Event::Other,
            }
        };
        unsafe { unsafe_libyaml::yaml_event_delete(event) };
        Some(Ok((owned, mark)))
    }
}

/// An anchor's name (NUL-terminated UTF-8, or null when the node has none).
///
/// # Safety
/// `s` is null or points to a NUL-terminated string that lives as long as the event.
unsafe fn name(s: *const u8) -> Option<String> {
    (!s.is_null()).then(|| {
        unsafe { CStr::from_ptr(s.cast()) }
            .to_string_lossy()
            .into_owned()
    })
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        // SAFETY: initialised in `new` unless initialisation failed, which leaves nothing to
        // free (`yaml_parser_initialize` zeroes the parser first, and deleting a zeroed parser
        // frees null buffers).
        unsafe { unsafe_libyaml::yaml_parser_delete(self.raw.as_mut_ptr()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(text: &str) -> Vec<Result<(Event, Mark), Error>> {
        Parser::new(text).collect()
    }

    #[test]
    fn reads_events_with_marks() {
        let all = events("a: &x [1, 'b']\nc: *x\n");
        let kinds: Vec<_> = all.iter().map(|e| e.as_ref().map(|(e, _)| e)).collect();
        assert!(
            matches!(kinds[3], Ok(Event::Scalar { text, style: Style::Plain, .. }) if text == "a")
        );
        assert!(matches!(kinds[4], Ok(Event::SequenceStart { anchor: Some(a) }) if a == "x"));
        assert!(matches!(
            &all[6],
            Ok((Event::Scalar { style: Style::Quoted, .. }, mark))
                if *mark == Mark { offset: 10, line: 0, column: 10 }
        ));
        assert!(matches!(&all[9], Ok((Event::Alias(a), _)) if a == "x"));
        assert!(matches!(all.last(), Some(Ok((Event::Other, _)))));
    }

    #[test]
    fn stops_at_the_first_error_with_its_mark() {
        let all = events("a: b\n c: d\n");
        let Some(Err(error)) = all.last() else {
            panic!("expected an error, got {all:?}");
        };
        assert_eq!(error.mark.map(|m| (m.line, m.column)), Some((1, 2)));
        assert!(
            error.message.contains("mapping values are not allowed"),
            "{error:?}"
        );
    }

    #[test]
    fn a_control_character_is_a_reader_error_at_its_offset() {
        let all = events("a: b\u{1}");
        let Some(Err(error)) = all.last() else {
            panic!("expected an error, got {all:?}");
        };
        assert_eq!((error.mark, error.offset), (None, 4));
    }

    #[test]
    fn a_tag_before_a_comma_in_a_flow_list_is_fine() {
        // libyaml-safer 0.3 panics here; libyaml accepts it.
        assert!(events("[!a, b]").iter().all(Result::is_ok));
    }
}
