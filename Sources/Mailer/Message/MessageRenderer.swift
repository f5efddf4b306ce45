import PaperboyCore

/// Renders a `MailMessage` to the bytes of RFC 5322 + MIME: pure, so the whole wire format is
/// tested without a server.
enum MessageRenderer {
    static func render(_ message: MailMessage) -> [UInt8] {
        let boundary = boundary(for: message)
        var head = ""
        for field in headers(of: message, boundary: boundary) { head += field.rendered }
        head += "\r\n"

        var bytes = Array(head.utf8)
        for (contentType, body) in [("text/plain", message.text), ("text/html", message.html)] {
            bytes += Array("--\(boundary)\r\nContent-Type: \(contentType); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)
            bytes += QuotedPrintable.encode(body)
            bytes += [0x0D, 0x0A]  // belongs to the delimiter that follows (RFC 2046 §5.1.1)
        }
        bytes += Array("--\(boundary)--\r\n".utf8)
        return bytes
    }

    /// The header fields in the order mail programs show them.
    static func headers(of message: MailMessage, boundary: String) -> [HeaderField] {
        var fields = [
            HeaderField("Date", [MailDate.string(message.date)]),
            HeaderField.address("From", message.from),
            HeaderField.address("To", message.to),
            HeaderField.unstructured("Subject", message.subject),
            HeaderField("Message-ID", [message.messageID.description]),
        ]
        if let list = message.list {
            let room = HeaderField.preferredLineLength - "List-Id: ".utf8.count
            fields.append(HeaderField("List-Id", (list.name.map { HeaderField.phrase($0, firstRoom: room) } ?? []) + ["<\(list.id)>"]))
            if let mailto = list.mailtoURL {
                fields.append(HeaderField("List-Unsubscribe", ["<\(list.unsubscribeURL)>,", "<\(mailto)>"]))
            } else {
                fields.append(HeaderField("List-Unsubscribe", ["<\(list.unsubscribeURL)>"]))
            }
            fields.append(HeaderField("List-Unsubscribe-Post", ["List-Unsubscribe=One-Click"]))
        }
        fields.append(HeaderField("MIME-Version", ["1.0"]))
        fields.append(HeaderField("Content-Type", ["multipart/alternative;", "boundary=\"\(boundary)\""]))
        return fields
    }

    /// `=_pb_` and 24 hex digits of the message id's hash. `=_` cannot occur in quoted-printable
    /// text (an `=` there is followed by a hex digit or a line break), so the boundary can never
    /// appear in a body, and it needs no randomness: rendering stays deterministic.
    static func boundary(for message: MailMessage) -> String {
        "=_pb_" + SHA256.hex(Array(message.messageID.description.utf8)).prefix(24)
    }
}
