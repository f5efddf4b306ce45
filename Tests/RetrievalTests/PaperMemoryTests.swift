import Foundation
import PaperboyCore
import PaperboyTesting
import Retrieval
import StoragePostgres
import Testing

/// The papers a server remembers so searches keep answering while its store is away, over a
/// real PostgreSQL server that is stopped and started again under it.
struct PaperMemoryTests {
    static let papers = (1...12).map { SamplePapers.arxiv(String(format: "2606.%05d", $0), title: String(format: "Paper number %02d", $0)) }
    static func ids(_ range: Range<Int>) -> [PaperID] { papers[range].map(\.id) }

    @Test func remembersTheLatestShownPapersAndShowsThemWhileTheStoreIsAway() async throws {
        let database = try PostgresServer.start()   // a server of its own, to stop
        defer {
            database.stop()
            if let directory = database.dataDirectory { try? FileManager.default.removeItem(atPath: directory) }
        }
        let store = try await PostgresStore.open(url: try database.freshDatabase(connectTimeout: 2))
        _ = try await store.upsert(Self.papers)
        let cost = try #require(Self.papers.map(PaperMemory.cost(of:)).max())
        let memory = PaperMemory(budget: 10 * cost)

        _ = try await memory.papers(Self.ids(0..<5), from: store)
        _ = try await memory.papers(Self.ids(5..<8), from: store)
        _ = try await memory.papers(Self.ids(0..<5), from: store)   // shown again: now the latest
        #expect(memory.count == 8)
        // Past the budget the least recently shown go, down to three quarters of it: papers
        // 6, 7 and 8 (shown once, long ago), then paper 1.
        _ = try await memory.papers(Self.ids(8..<11), from: store)
        #expect(memory.count == 7)
        #expect(memory.recoveries == 0)

        database.stop()
        let remembered = try await memory.papers(Self.ids(0..<11), from: store)
        #expect(Set(remembered.keys) == Set(Self.ids(1..<5) + Self.ids(8..<11)))
        #expect(remembered[Self.papers[9].id]?.title == "Paper number 10")
        await #expect(throws: PaperboyError.self) { _ = try await memory.papers(Self.ids(5..<8), from: store) }
        #expect(memory.recoveries == 0)

        try database.restart()
        var back: [PaperID: Paper]?
        let restarted = ContinuousClock.now
        while back == nil, ContinuousClock.now - restarted < .seconds(60) {
            back = try? await memory.papers(Self.ids(5..<8), from: store)
            if back == nil { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(back?.count == 3, "the store did not answer again after its restart")
        // Answers given from memory may lack papers: the store answering again is counted, once.
        #expect(memory.recoveries == 1)
        _ = try await memory.papers(Self.ids(0..<3), from: store)
        memory.storeAnswered()
        #expect(memory.recoveries == 1)
    }
}
