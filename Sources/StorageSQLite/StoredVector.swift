import Foundation
import GRDB
import GRDBSQLite
import PaperboyCore

/// How a vector is kept in `paper_vectors.vector`: its Float32s in little-endian order, the
/// layout of every machine Paperboy runs on, so writing and reading are one copy each.
enum VectorBlob {
    /// The vector's bytes.
    static func encode(_ vector: [Float]) -> [UInt8] {
        #if _endian(big)
        let vector = vector.map { Float(bitPattern: $0.bitPattern.littleEndian) }
        #endif
        return vector.withUnsafeBytes { Array($0) }
    }

    /// The `dimension` floats held by the BLOB in column `index`, or nil when its length is
    /// not `4 * dimension`. Copied with one `memcpy`: rebuilding an index reads millions.
    static func decode(_ statement: SQLiteStatement, _ index: Int32, dimension: Int) -> [Float]? {
        let count = Int(sqlite3_column_bytes(statement, index))
        guard dimension > 0, count == dimension * MemoryLayout<Float>.size,
              let start = sqlite3_column_blob(statement, index) else { return nil }
        let vector = [Float](unsafeUninitializedCapacity: dimension) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(start: start, count: count))
            initialized = dimension
        }
        #if _endian(big)
        return vector.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
        #else
        return vector
        #endif
    }
}

/// A row of `paper_vectors` selected as `paper_id, text_hash, dimension, vector`, read straight
/// from the statement through GRDB's fast value cursor (as `StoredPaper` is).
struct StoredVector: DatabaseValueConvertible, StatementColumnConvertible {
    static let selection = "paper_id, text_hash, dimension, vector"

    let id: String
    let textHash: String
    let dimension: Int64
    /// Nil when the BLOB's length does not match `dimension`.
    let vector: [Float]?

    init(sqliteStatement: SQLiteStatement, index: CInt) {
        id = RawColumn.text(sqliteStatement, index) ?? ""
        textHash = RawColumn.text(sqliteStatement, index + 1) ?? ""
        dimension = RawColumn.integer(sqliteStatement, index + 2) ?? 0
        vector = VectorBlob.decode(sqliteStatement, index + 3, dimension: Int(dimension))
    }

    /// The stored vector, or an error naming the row that does not read back.
    func paperVector() throws -> PaperVector {
        guard let paperID = PaperID(id) else {
            throw PaperRowError("paper_vectors.paper_id \"\(id)\" is not a paper id")
        }
        guard let vector else {
            throw PaperRowError("paper_vectors.vector of \(id) does not hold \(dimension) floats")
        }
        return PaperVector(id: paperID, textHash: textHash, vector: vector)
    }

    /// Never used: a stored vector is only read, through the statement.
    var databaseValue: DatabaseValue { .null }

    /// Never used: a stored vector is only read, through the statement.
    static func fromDatabaseValue(_ dbValue: DatabaseValue) -> StoredVector? { nil }
}
