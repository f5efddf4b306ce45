import Foundation
import GRDB
import GRDBSQLite

/// A statement prepared and cached by GRDB, bound and stepped through the SQLite C API.
///
/// Used only for the handful of statements that run several times per paper on the upsert
/// path. Going through `StatementArguments` costs several microseconds per call (boxing,
/// validation, a cursor object), more than SQLite's own work, and the import pipeline needs
/// tens of thousands of papers a second. GRDB documents raw access ("Raw SQLite Pointers"): it
/// keeps owning and finalizing the statement; this value must only be used inside the write
/// closure that owns the connection, and it leaves the statement reset after every call.
struct RawStatement {
    private let statement: Statement
    private var handle: SQLiteStatement { statement.sqliteStatement }

    /// SQLite copies bound text (`SQLITE_TRANSIENT`), so a binding never outlives its string.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
    }

    /// Binds text, or NULL for nil, to the 1-based parameter `index`.
    func bind(_ value: String?, at index: Int32) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { bytes in
            if let start = bytes.baseAddress, !bytes.isEmpty {
                let text = UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self)
                _ = sqlite3_bind_text(handle, index, text, Int32(bytes.count), Self.transient)
            } else {
                // A null pointer would bind NULL; '' needs a real (empty) string.
                _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
            }
        }
    }

    /// Binds an integer, or NULL for nil.
    func bind(_ value: Int64?, at index: Int32) {
        if let value {
            sqlite3_bind_int64(handle, index, value)
        } else {
            sqlite3_bind_null(handle, index)
        }
    }

    func bind(_ value: Int?, at index: Int32) { bind(value.map(Int64.init), at: index) }

    /// Binds `bytes` as a BLOB, copied by SQLite like text. (An empty array binds NULL.)
    func bind(blob bytes: [UInt8], at index: Int32) {
        bytes.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), Self.transient)
        }
    }
    func bind(_ value: Bool, at index: Int32) { bind(Int64(value ? 1 : 0), at: index) }

    /// Runs a statement that returns no rows.
    func execute() throws {
        defer { sqlite3_reset(handle) }
        var code = sqlite3_step(handle)
        while code == SQLITE_ROW { code = sqlite3_step(handle) }
        guard code == SQLITE_DONE else { throw error(code) }
    }

    /// The first row, read by `read` from the positioned statement, or nil when there is none.
    func fetchFirst<Value>(_ read: (SQLiteStatement) throws -> Value) throws -> Value? {
        defer { sqlite3_reset(handle) }
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return try read(handle)
        case SQLITE_DONE: return nil
        case let code: throw error(code)
        }
    }

    /// A GRDB error for a failed step, with SQLite's message and the statement's SQL.
    private func error(_ code: Int32) -> DatabaseError {
        let message = sqlite3_db_handle(handle).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}

/// Column readers over a positioned statement, shared by the raw upsert path and GRDB's
/// cursors (`StoredPaper`).
enum RawColumn {
    /// The column's text, nil for NULL.
    static func text(_ statement: SQLiteStatement, _ index: Int32) -> String? {
        guard let bytes = sqlite3_column_text(statement, index) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The column's integer, nil for NULL.
    static func integer(_ statement: SQLiteStatement, _ index: Int32) -> Int64? {
        sqlite3_column_type(statement, index) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, index)
    }

    /// Whether the column holds `value` (NULL for nil), compared as UTF-8 bytes in place.
    static func text(_ statement: SQLiteStatement, _ index: Int32, equals value: String?) -> Bool {
        guard let value else { return sqlite3_column_type(statement, index) == SQLITE_NULL }
        guard sqlite3_column_type(statement, index) != SQLITE_NULL else { return false }
        if let equal = value.utf8.withContiguousStorageIfAvailable({ bytes(statement, index, equal: $0) }) {
            return equal
        }
        return RawColumn.text(statement, index) == value
    }

    /// Whether the column holds exactly `expected` bytes.
    static func bytes(_ statement: SQLiteStatement, _ index: Int32, equal expected: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = sqlite3_column_blob(statement, index)
        let count = Int(sqlite3_column_bytes(statement, index))
        guard count == expected.count else { return false }
        guard count > 0, let start, let other = expected.baseAddress else { return count == 0 }
        return memcmp(start, other, count) == 0
    }

    /// Whether the column holds `words` joined by single spaces, compared in place.
    static func words(_ statement: SQLiteStatement, _ index: Int32, equal words: [String]) -> Bool {
        let start = sqlite3_column_blob(statement, index)
        let count = Int(sqlite3_column_bytes(statement, index))
        guard count > 0, let start else { return words.isEmpty && count == 0 }
        let stored = UnsafeRawBufferPointer(start: start, count: count)
        var position = 0
        for (offset, word) in words.enumerated() {
            if offset > 0 {
                guard position < count, stored[position] == UInt8(ascii: " ") else { return false }
                position += 1
            }
            let length = word.utf8.count
            guard position + length <= count else { return false }
            let equal = word.utf8.withContiguousStorageIfAvailable { bytes in
                bytes.baseAddress.map { memcmp(start + position, $0, length) == 0 } ?? (length == 0)
            } ?? stored[position..<(position + length)].elementsEqual(word.utf8)
            guard equal else { return false }
            position += length
        }
        return position == count
    }
}
