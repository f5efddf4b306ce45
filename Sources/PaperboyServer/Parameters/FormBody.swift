import Foundation
import Hummingbird

/// The fields of a posted HTML form, as `application/x-www-form-urlencoded` (plain forms)
/// or `multipart/form-data` (forms with a file) send them. A field given twice keeps its
/// first value; a file field's value is the file's text.
struct FormBody: Sendable {
    let fields: [String: String]

    init(fields: [String: String]) { self.fields = fields }

    subscript(_ name: String) -> String? { fields[name] }

    /// Reads the body of `request`, at most `limit` bytes (413 beyond).
    static func read(_ request: Request, limit: Int) async throws -> FormBody {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw HTTPError(.contentTooLarge, message: "The form is larger than \(limit / 1024) KB.")
        }
        let bytes = Array(buffer.readableBytesView)
        let type = request.headers[.contentType] ?? ""
        if type.lowercased().hasPrefix("multipart/form-data") {
            guard let boundary = parameter("boundary", in: type) else {
                throw HTTPError(.badRequest, message: "The form's Content-Type names no multipart boundary.")
            }
            return FormBody(fields: multipart(bytes, boundary: boundary))
        }
        return FormBody(fields: urlEncoded(String(decoding: bytes, as: UTF8.self)))
    }

    /// `a=1&b=two+words`: `+` is a space, then percent-escapes are decoded.
    static func urlEncoded(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String? { part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decode(parts[0]), fields[name] == nil else { continue }
            fields[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
        }
        return fields
    }

    /// RFC 7578 parts: a delimiter is CRLF `--boundary` (the first may open the body), then
    /// part headers, a blank line, and the content up to the next delimiter. The part's name
    /// comes from its `Content-Disposition`.
    static func multipart(_ body: [UInt8], boundary: String) -> [String: String] {
        let bytes = Array("\r\n".utf8) + body
        let delimiter = Array("\r\n--\(boundary)".utf8)
        var starts: [Int] = []
        var i = 0
        while let found = find(delimiter, in: bytes, from: i) {
            starts.append(found)
            i = found + delimiter.count
        }
        var fields: [String: String] = [:]
        for (start, end) in zip(starts, starts.dropFirst()) {
            let partStart = start + delimiter.count + 2  // the CRLF ending the delimiter line
            guard partStart <= end, let headerEnd = find(Array("\r\n\r\n".utf8), in: bytes, from: partStart),
                  headerEnd + 4 <= end else { continue }
            let headers = String(decoding: bytes[partStart..<headerEnd], as: UTF8.self)
            let disposition = headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-disposition:") }
            guard let disposition, let name = parameter("name", in: String(disposition)), fields[name] == nil else { continue }
            fields[name] = String(decoding: bytes[(headerEnd + 4)..<end], as: UTF8.self)
        }
        return fields
    }

    /// A `name=value` or `name="value"` parameter of a header value.
    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let parts = piece.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var value = parts[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var i = start
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
