import PaperboyCore
import Synchronization

/// The papers a server showed lately, kept in memory so searches keep answering while the
/// store is away (a PostgreSQL server restarting or unreachable): the ranking is in memory
/// already, and the papers a result page shows are read from the store, so without this a
/// node that loses its database could rank but show nothing.
///
/// Every paper the store hands out for a result page is remembered, up to `budget` bytes
/// (the least recently shown go first). When the store fails, the papers of a search that
/// are remembered are shown; a search none of whose papers is remembered fails as before.
/// What was answered from memory may lack papers, so `recoveries` counts the times the store
/// answered again after that: answers kept under the old count (rendered pages) are dropped.
public final class PaperMemory: Sendable {
    private struct Entry {
        var paper: Paper
        var cost: Int
        var lastUse: UInt64
    }

    private struct State {
        var papers: [PaperID: Entry] = [:]
        var cost = 0
        var uses: UInt64 = 0
        var answeredFromMemory = false
        var recoveries: UInt64 = 0
    }

    public let budget: Int
    private let state = Mutex(State())

    /// `budget` bytes of papers (measured by their text, plus a fixed overhead each).
    public init(budget: Int) {
        self.budget = budget
    }

    /// The papers `ids` names, read from `store`, remembered on the way; from memory when
    /// the store fails and memory holds at least one of them (else the store's error).
    public func papers(_ ids: [PaperID], from store: any PaperStore) async throws -> [PaperID: Paper] {
        do {
            let papers = try await store.papers(ids: ids)
            remember(ids.compactMap { papers[$0] })
            storeAnswered()
            return papers
        } catch {
            let remembered = state.withLock { state in
                var found: [PaperID: Paper] = [:]
                for id in ids {
                    guard var entry = state.papers[id] else { continue }
                    state.uses += 1
                    entry.lastUse = state.uses
                    state.papers[id] = entry
                    found[id] = entry.paper
                }
                if !found.isEmpty { state.answeredFromMemory = true }
                return found
            }
            if remembered.isEmpty { throw error }
            return remembered
        }
    }

    /// Notes that the store answered: if anything was answered from memory since it last
    /// did, `recoveries` moves on.
    public func storeAnswered() {
        state.withLock { state in
            guard state.answeredFromMemory else { return }
            state.answeredFromMemory = false
            state.recoveries += 1
        }
    }

    /// How many times the store answered again after answers came from memory.
    public var recoveries: UInt64 { state.withLock { $0.recoveries } }

    /// How many papers are remembered.
    public var count: Int { state.withLock { $0.papers.count } }

    /// Remembers `papers` as the latest shown, in order (the last is the latest).
    private func remember(_ papers: [Paper]) {
        guard budget > 0 else { return }
        state.withLock { state in
            for paper in papers {
                state.uses += 1
                let entry = Entry(paper: paper, cost: Self.cost(of: paper), lastUse: state.uses)
                state.cost += entry.cost - (state.papers.updateValue(entry, forKey: paper.id)?.cost ?? 0)
            }
            guard state.cost > budget else { return }
            // Down to three quarters, so the next pages do not evict one paper each.
            for (id, entry) in state.papers.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
                guard state.cost > budget * 3 / 4 else { break }
                state.papers[id] = nil
                state.cost -= entry.cost
            }
        }
    }

    /// Bytes a paper holds, near enough: its text and a fixed overhead for the rest.
    public static func cost(of paper: Paper) -> Int {
        256 + paper.title.utf8.count + paper.abstract.utf8.count
            + paper.authors.reduce(0) { $0 + $1.name.utf8.count + 32 } + (paper.comments?.utf8.count ?? 0)
    }
}
