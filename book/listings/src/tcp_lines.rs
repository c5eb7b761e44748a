//! TCP in a few lines: a connection on loopback, and why lines need a reader that
//! knows where they end.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

// ANCHOR: echo_lines
/// Starts a server that echoes each line back in capitals, connects to it, sends
/// `lines` in the given writes (however they split the lines), and returns the
/// answers, one per line.
pub fn shout(writes: &[&str]) -> io::Result<Vec<String>> {
    // bind + listen in one call; port 0 picks a free port.
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;

    let server = thread::spawn(move || -> io::Result<()> {
        // accept() waits for a client and returns a new socket for this connection.
        let (stream, _peer) = listener.accept()?;
        let mut writer = stream.try_clone()?; // a second handle to the same socket
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        // read_line reads up to each '\n', however the bytes were split on the way.
        // A line without its '\n' (or none at all) means the client closed its side.
        while reader.read_line(&mut line)? > 0 && line.ends_with('\n') {
            writer.write_all(line.to_uppercase().as_bytes())?;
            line.clear();
        }
        Ok(())
    });

    let mut client = TcpStream::connect(addr)?;
    for piece in writes {
        client.write_all(piece.as_bytes())?;
    }
    client.shutdown(std::net::Shutdown::Write)?; // "I have nothing more to send"

    let mut answers = String::new();
    client.read_to_string(&mut answers)?; // until the server closes
    server.join().expect("the server thread ran")?;
    Ok(answers.lines().map(String::from).collect())
}
// ANCHOR_END: echo_lines

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_half_line_at_the_end_gets_no_answer() {
        assert_eq!(shout(&["how are u\nhow o"]).unwrap(), vec!["HOW ARE U".to_string()]);
    }

    #[test]
    fn lines_survive_any_split() {
        let want = vec!["HOW ARE U".to_string(), "HOW OLD ARE U".to_string()];
        assert_eq!(shout(&["how are u\nhow old are u\n"]).unwrap(), want);
        assert_eq!(shout(&["how a", "re u\nhow", " old are u\n"]).unwrap(), want);
    }
}
