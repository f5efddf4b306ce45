import Foundation
import Testing
import PaperboyTesting
import Embedding

private var modelDirectory: URL { Fixtures.modelDirectory }

/// Loads the real tokenizer, failing (not skipping) with install instructions when it is absent.
private func loadTokenizer() throws -> WordPieceTokenizer {
    let tokenizerJSON = modelDirectory.appendingPathComponent("tokenizer.json")
    guard FileManager.default.fileExists(atPath: tokenizerJSON.path) else {
        Issue.record("all-MiniLM-L6-v2 not found at \(modelDirectory.path). \(Fixtures.modelInstallHint)")
        throw TokenizerFileError(file: tokenizerJSON.path, field: "", problem: "model not installed")
    }
    return try WordPieceTokenizer.load(modelDirectory: modelDirectory)
}

private struct ReferenceFixture: Decodable {
    struct Item: Decodable {
        let text: String
        let ids: [Int32]
    }
    let generator: String
    let tokenizers_version: String
    let items: [Item]
}

@Test func tokenizerMatchesHuggingFaceTokenizersOnEveryFixtureItem() throws {
    let tokenizer = try loadTokenizer()
    let url = Fixtures.projectRoot.appendingPathComponent("Tests/Fixtures/minilm-token-ids.json")
    let fixture = try JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: url))
    #expect(fixture.items.count > 600)
    var mismatches: [String] = []
    for item in fixture.items {
        let ids = tokenizer.encode(item.text)
        if ids != item.ids {
            let firstDiff = zip(ids, item.ids).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(ids.count, item.ids.count)
            mismatches.append("""
                text \(String(reflecting: String(item.text.prefix(120)))) differs at id \(firstDiff): \
                swift \(Array(ids.dropFirst(max(0, firstDiff - 2)).prefix(8))) vs \
                reference \(Array(item.ids.dropFirst(max(0, firstDiff - 2)).prefix(8)))
                """)
        }
    }
    print("WordPiece parity: \(fixture.items.count - mismatches.count)/\(fixture.items.count) items match "
        + "tokenizers \(fixture.tokenizers_version)")
    #expect(mismatches.isEmpty, "\(mismatches.count) mismatches; first:\n\(mismatches.prefix(5).joined(separator: "\n"))")
}

@Test func encodeWrapsTextInClassifierAndSeparatorTokens() throws {
    let tokenizer = try loadTokenizer()
    #expect(tokenizer.encode("") == [101, 102])
    #expect(tokenizer.vocabularySize == 30522)
    let ids = tokenizer.encode("Attention Is All You Need")
    #expect(ids.first == 101 && ids.last == 102)
}

@Test func encodeTruncatesLongTextToMaxLengthIncludingSpecialTokens() throws {
    let tokenizer = try loadTokenizer()
    let ids = tokenizer.encode(String(repeating: "token ", count: 1000))
    #expect(ids.count == 256)
    #expect(ids.last == 102)
}

@Test func loadingTokenizerWithoutVocabularyNamesTheFileAndField() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let file = try dir.write("tokenizer.json", Data(#"{"model": {"type": "WordPiece"}}"#.utf8))
    #expect {
        _ = try WordPieceTokenizer(contentsOf: file, maxLength: 256)
    } throws: { error in
        let text = String(describing: error)
        return text.contains(file.path) && text.contains("model.vocab")
    }
}

@Test func loadingModelDirectoryWithoutSentenceConfigNamesTheFile() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    #expect {
        _ = try WordPieceTokenizer.load(modelDirectory: dir.url)
    } throws: { error in
        String(describing: error).contains("sentence_bert_config.json")
    }
}

@Test func tokenizerEncodesAbstractsFasterThanOneMegabytePerSecondInRelease() throws {
    let tokenizer = try loadTokenizer()
    var text = ""
    for page in try Fixtures.hfPages { text += try String(contentsOf: page, encoding: .utf8) }
    // Abstract-sized chunks, as the embedder sees them.
    let chunks = text.split(separator: "\n\n").map(String.init)
    let bytes = chunks.reduce(0) { $0 + $1.utf8.count }
    let clock = ContinuousClock()
    var total = 0
    let elapsed = clock.measure {
        for _ in 0..<5 { for chunk in chunks { total += tokenizer.encode(chunk).count } }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let megabytesPerSecond = Double(bytes * 5) / 1_000_000 / seconds
    print("WordPiece throughput: \(String(format: "%.2f", megabytesPerSecond)) MB/s over \(bytes * 5) bytes")
    #expect(total > 0)
    #if !DEBUG
    #expect(megabytesPerSecond > 1)
    #endif
}

/// The real tokenizer.json with one piece's id changed to `id`.
private func realTokenizerFile(in dir: TemporaryDirectory, settingIDOf piece: String, to id: Any) throws -> URL {
    let data = try Data(contentsOf: modelDirectory.appendingPathComponent("tokenizer.json"))
    var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var model = try #require(root["model"] as? [String: Any])
    var vocabulary = try #require(model["vocab"] as? [String: Any])
    vocabulary[piece] = id
    model["vocab"] = vocabulary
    root["model"] = model
    return try dir.write("tokenizer.json", JSONSerialization.data(withJSONObject: root))
}

@Test(arguments: [-1, 4_294_967_296] as [Int64])
func anIDTheEmbeddingTableCannotIndexIsRefusedNamingThePiece(_ id: Int64) throws {
    _ = try loadTokenizer()
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let file = try realTokenizerFile(in: dir, settingIDOf: "attention", to: id)
    #expect {
        _ = try WordPieceTokenizer(contentsOf: file, maxLength: 256)
    } throws: { error in
        String(describing: error).contains("model.vocab.attention")
    }
}

/// A tokenizer.json from a model with a larger vocabulary: its ids would index past the
/// embedding table, so the embedder refuses the directory instead of reading outside it.
@Test func anEmbedderRefusesATokenizerWhoseIDsPassItsEmbeddingTable() throws {
    _ = try loadTokenizer()
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    for name in ["config.json", "sentence_bert_config.json", "model.safetensors"] {
        try FileManager.default.createSymbolicLink(at: dir.url.appendingPathComponent(name),
                                                   withDestinationURL: modelDirectory.appendingPathComponent(name))
    }
    let file = try realTokenizerFile(in: dir, settingIDOf: "attention", to: 30_522)
    #expect {
        _ = try SentenceEmbedder(modelDirectory: dir.url, threads: 1)
    } throws: { error in
        let text = String(describing: error)
        return text.contains(file.path) && text.contains("token id 30522")
    }
}
