import Foundation
import PaperboyTesting
import Testing
@testable import SearchIndex

/// The saved index comes back exactly, and a damaged file is refused, never trusted.
@Suite struct IndexFileTests {
    static func sampleIndex() -> (KeywordIndex, [KeywordQuery]) {
        var corpus = SyntheticCorpus(seed: 21)
        var index = KeywordIndex.build(corpus.documents(1_200), generation: 42)
        index.add(corpus.documents(300, prefix: "n"))
        index.remove(ids: ["p3", "n7"])
        index.storeIdentity = "0123abcd"
        return (index, DynamicPruningTests.queries(&corpus, count: 40))
    }

    @Test func savedIndexLoadsBackWithTheSameResults() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (index, queries) = Self.sampleIndex()
        let file = directory.file("keyword.index")
        try IndexFile.save(index, to: file)
        let loaded = try IndexFile.load(from: file)
        #expect(loaded.generation == 42 && loaded.storeIdentity == "0123abcd")
        #expect(loaded.documentCount == index.documentCount && loaded.segmentCount == index.segmentCount)
        #expect(loaded.byteCount == index.byteCount)
        for query in queries {
            #expect(loaded.search(query, limit: 10) == index.search(query, limit: 10))
        }
        // The write went through a temporary file that is gone now.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["keyword.index"])
    }

    @Test func missingFileIsReportedAsMissing() {
        #expect(throws: SearchIndexError.self) { try IndexFile.load(from: URL(fileURLWithPath: "/nonexistent/keyword.index")) }
        do {
            _ = try IndexFile.load(from: URL(fileURLWithPath: "/nonexistent/keyword.index"))
        } catch let error as SearchIndexError {
            #expect(error.code == .missing)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func everyFlippedByteAndTruncationIsDetected() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var corpus = SyntheticCorpus(seed: 2)
        let index = KeywordIndex.build(corpus.documents(60))
        let file = directory.file("keyword.index")
        try IndexFile.save(index, to: file)
        let good = try Data(contentsOf: file)
        var random = CorpusRandom(seed: 99)
        var damaged: [Data] = []
        for _ in 0..<150 {
            var copy = good
            let offset = Int.random(in: 0..<copy.count, using: &random)
            copy[offset] ^= UInt8.random(in: 1...255, using: &random)
            damaged.append(copy)
        }
        for _ in 0..<150 { damaged.append(good.prefix(Int.random(in: 0..<good.count, using: &random))) }
        for (n, bytes) in damaged.enumerated() {
            try bytes.write(to: file)
            do {
                _ = try IndexFile.load(from: file)
                Issue.record("damaged copy \(n) was loaded")
            } catch let error as SearchIndexError {
                #expect(error.code == .corrupt, "copy \(n): \(error)")
            }
        }
    }

    /// A file whose checksum holds but whose postings decode to documents the segment does
    /// not have (written so, not damaged on the way) is refused at load: searching it read
    /// a field length past its column. Found by fuzzing the loader.
    @Test(arguments: [SearchField.title, .abstract])
    func postingsDecodingOutsideTheSegmentAreRefused(_ field: SearchField) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var corpus = SyntheticCorpus(seed: 3)
        let index = KeywordIndex.build(corpus.documents(300))
        let postings = index.segments[0].field(field)
        let block = try #require((0..<postings.blockLastDocument.count).first { postings.postings[Int(postings.blockOffset[$0])] > 0 })
        postings.postings.base[Int(postings.blockOffset[block]) + 2] ^= 1  // the first gap, one more or one less
        let file = directory.file("keyword.index")
        try IndexFile.save(index, to: file)
        #expect {
            _ = try IndexFile.load(from: file)
        } throws: { error in
            (error as? SearchIndexError)?.code == .corrupt && "\(error)".contains("decodes to documents past its last one")
        }
    }

    /// Positions are not walked at load (they are the bulk of the file): a phrase query reads
    /// a block's positions only inside the block's stretch, however the varints run on.
    @Test func positionsRunningPastTheirBlockAreReadOnlyToItsEnd() throws {
        var corpus = SyntheticCorpus(seed: 4)
        let index = KeywordIndex.build(corpus.documents(300))
        let postings = index.segments[0].field(.abstract)
        try #require(postings.hasPositions && postings.positions.count > 0)
        let ordinal = try #require((0..<postings.documentFrequency.count).first { PostingCursor(field: postings, ordinal: $0).frequency >= 2 })
        // No varint ends anywhere in the column: the first read runs to its zero padding.
        for offset in 0..<postings.positions.count { postings.positions.base[offset] |= 0x80 }
        let cursor = PostingCursor(field: postings, ordinal: ordinal)
        var positions: [UInt32] = []
        cursor.positions(into: &positions)
        #expect(positions.count < Int(cursor.frequency), "read \(positions.count) positions past the block's end")
    }

    /// A save killed before its rename leaves a temporary as large as the index; the next
    /// save removes it (found by the crash-consistency script, which kills saves at random).
    @Test func aSaveClearsTheTemporaryOfAKilledSave() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let leftover = try directory.write(".keyword.index.\(try Fixtures.finishedProcessID()).tmp", Data(count: 4096))
        var corpus = SyntheticCorpus(seed: 5)
        try IndexFile.save(KeywordIndex.build(corpus.documents(20)), to: directory.file("keyword.index"))
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["keyword.index"])
    }
}

