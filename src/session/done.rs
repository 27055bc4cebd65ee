//! What a command (or the editor's start) has to say, in order, and how it ended
//! ([`Done`]), or why it stopped before any work ([`Stopped`]); the binary prints and owns
//! the exit codes.

use std::io::Write;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nothing wrong (warnings allowed).
    Ok,
    /// Spec or form errors, or outputs not made (exit code 1).
    Failed,
    /// Usage problems, or files that could not be read or written (exit code 2).
    Trouble,
}

impl Status {
    /// The process exit code.
    pub fn code(self) -> i32 {
        match self {
            Status::Ok => 0,
            Status::Failed => 1,
            Status::Trouble => 2,
        }
    }
}

/// Which stream a piece of output goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output: results and summaries.
    Out,
    /// Standard error: problems.
    Err,
}

/// What a command has to say, in order, and how it ended.
#[derive(Debug)]
pub struct Done {
    /// Pieces of text in the order they are to be printed.
    pub output: Vec<(Stream, String)>,
    /// How it ended.
    pub status: Status,
}

impl Done {
    /// Nothing said yet; ended well so far.
    pub fn new() -> Done {
        Done { output: Vec::new(), status: Status::Ok }
    }

    /// A line for standard output.
    pub fn out(&mut self, line: impl Into<String>) {
        self.output.push((Stream::Out, format!("{}\n", line.into())));
    }

    /// Text for standard error, as it is.
    pub fn err(&mut self, text: impl Into<String>) {
        self.output.push((Stream::Err, text.into()));
    }

    /// Prints everything, each piece to its stream.
    pub fn print(&self) {
        let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
        for (stream, text) in &self.output {
            let _ = match stream {
                Stream::Out => out.write_all(text.as_bytes()).and_then(|()| out.flush()),
                Stream::Err => err.write_all(text.as_bytes()).and_then(|()| err.flush()),
            };
        }
    }
}

impl Default for Done {
    fn default() -> Self {
        Done::new()
    }
}

/// Why a command stopped before any work, in Chinese (exit code 2).
#[derive(Debug)]
pub struct Stopped(pub String);

impl From<String> for Stopped {
    fn from(message: String) -> Self {
        Stopped(message)
    }
}
