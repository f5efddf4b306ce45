import Foundation
import PaperboyCore

/// One `upsert` batch merged in memory: the PostgreSQL store reads every stored record a
/// batch could touch in one query, merges the batch here paper by paper, and writes the
/// outcome with a few multi-row statements, instead of a round trip per lookup.
///
/// The rules are the SQLite store's `BatchUpsert`, step for step: a paper is found by id (or
/// alias), then by DOI (only DOI-only and title-only records for an arXiv paper), then by
/// normalized title (any record for a title-only paper, only title-only records otherwise),
/// ties going to the strongest id and then the smallest; a paper repeated in a batch meets its
/// own earlier merge as if it had been upserted in a separate call. Pure: no I/O.
struct BatchMerge {
    /// A record as the batch leaves it.
    struct Record {
        var paper: Paper
        var titleKey: String
        /// The row's id in the store before the batch, nil for a paper the batch inserts.
        let storedID: PaperID?
        /// The row before the batch, to tell what a write must touch.
        let stored: Paper?
        var changed = false
    }

    private(set) var counts = UpsertCounts()
    /// Whether the batch added an alias, which changes the store even when no paper changed.
    private(set) var wroteAlias = false
    /// Every record the batch can reach, by current id.
    private var records: [PaperID: Record] = [:]
    /// Old id → current id, the stored aliases of the batch's ids and the ones it adds.
    private var aliases: [PaperID: PaperID] = [:]
    /// Aliases this batch adds, in the order added.
    private var addedAliases: [PaperID] = []
    private var byDOI: [String: Set<PaperID>] = [:]
    private var byTitleKey: [String: Set<PaperID>] = [:]
    /// Ids in the order their records first changed, so writes follow the batch's order.
    private var changeOrder: [PaperID] = []

    /// Starts from the stored records that share an id, alias, DOI or title key with the
    /// batch (a superset does no harm) and the stored aliases of the batch's ids.
    init(stored: [(paper: Paper, titleKey: String)], aliases: [(old: PaperID, paper: PaperID)]) {
        for (paper, titleKey) in stored {
            records[paper.id] = Record(paper: paper, titleKey: titleKey, storedID: paper.id, stored: paper)
            index(paper.id, paper.doi, titleKey)
        }
        for alias in aliases { self.aliases[alias.old] = alias.paper }
    }

    /// Merges one paper, already `PaperColumns.normalized(_:)`.
    mutating func merge(_ paper: Paper, titleKey incomingKey: String) {
        guard let (existingID, foundByID) = findExisting(paper, titleKey: incomingKey),
              let existing = records[existingID] else {
            insert(paper, titleKey: incomingKey)
            return
        }
        if foundByID && existing.paper == paper {
            counts.unchanged += 1
            return
        }
        var merged = existing.paper.merged(with: paper)
        if merged.id.kind <= existing.paper.id.kind {
            // The stored id stays unless the merge brought a stronger one.
            merged.id = existing.paper.id
        }
        if !foundByID && paper.id != merged.id {
            // The incoming id now names this paper too.
            addAlias(paper.id, for: merged.id)
        }
        if merged == existing.paper {
            counts.unchanged += 1
            return
        }
        let titleKey = if merged.title == existing.paper.title {
            existing.titleKey
        } else if merged.title == paper.title {
            incomingKey
        } else {
            TitleKey.normalize(merged.title)
        }
        replace(existing, with: merged, titleKey: titleKey)
        counts.updated += 1
    }

    /// Records the batch inserts, in order.
    var inserted: [Record] {
        changeOrder.compactMap { records[$0] }.filter { $0.storedID == nil }
    }

    /// Stored records the batch changed, in the order they first changed.
    var updated: [Record] {
        changeOrder.compactMap { records[$0] }.filter { $0.storedID != nil }
    }

    /// The aliases to add, each naming its paper's final id.
    var newAliases: [(old: PaperID, paper: PaperID)] {
        addedAliases.compactMap { old in aliases[old].map { (old, $0) } }
    }

    // MARK: - Steps

    private mutating func insert(_ paper: Paper, titleKey: String) {
        records[paper.id] = Record(paper: paper, titleKey: titleKey, storedID: nil, stored: nil, changed: true)
        index(paper.id, paper.doi, titleKey)
        changeOrder.append(paper.id)
        counts.inserted += 1
    }

    private mutating func replace(_ existing: Record, with merged: Paper, titleKey: String) {
        let oldID = existing.paper.id
        unindex(oldID, existing.paper.doi, existing.titleKey)
        var record = existing
        record.paper = merged
        record.titleKey = titleKey
        if !record.changed {
            record.changed = true
            changeOrder.append(merged.id)
        }
        if merged.id != oldID {
            // The record learned a stronger id: it moves, and the old id keeps resolving to it.
            records[oldID] = nil
            if let position = changeOrder.firstIndex(of: oldID) { changeOrder[position] = merged.id }
            for (old, target) in aliases where target == oldID { aliases[old] = merged.id }
            addAlias(oldID, for: merged.id)
        }
        records[merged.id] = record
        index(merged.id, merged.doi, titleKey)
    }

    private mutating func addAlias(_ old: PaperID, for paper: PaperID) {
        wroteAlias = true
        guard aliases[old] == nil else { return }  // as INSERT … ON CONFLICT DO NOTHING
        aliases[old] = paper
        addedAliases.append(old)
    }

    /// The id of the record for the same paper, and whether the id (or an alias) found it.
    private func findExisting(_ paper: Paper, titleKey: String) -> (PaperID, Bool)? {
        let id = aliases[paper.id] ?? paper.id
        if records[id] != nil { return (id, true) }
        if let doi = paper.doi {
            let candidates = (byDOI[doi] ?? []).filter { paper.id.kind != .arxiv || $0.kind < .arxiv }
            if let found = Self.first(candidates) { return (found, false) }
        }
        guard !titleKey.isEmpty else { return nil }
        let candidates = (byTitleKey[titleKey] ?? []).filter { paper.id.kind == .title || $0.kind == .title }
        return Self.first(candidates).map { ($0, false) }
    }

    /// The strongest id, then the smallest byte by byte (`ORDER BY id_kind DESC, id`).
    private static func first(_ ids: Set<PaperID>) -> PaperID? {
        ids.min { a, b in
            a.kind != b.kind ? a.kind > b.kind : a.rawValue.utf8.lexicographicallyPrecedes(b.rawValue.utf8)
        }
    }

    private mutating func index(_ id: PaperID, _ doi: String?, _ titleKey: String) {
        if let doi { byDOI[doi, default: []].insert(id) }
        byTitleKey[titleKey, default: []].insert(id)
    }

    private mutating func unindex(_ id: PaperID, _ doi: String?, _ titleKey: String) {
        if let doi { byDOI[doi]?.remove(id) }
        byTitleKey[titleKey]?.remove(id)
    }
}
