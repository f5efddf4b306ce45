extension InputFormat {
    /// The streaming parser for this format over `source`; `file` names the input in
    /// rejections.
    public func parser(reading source: any ByteSource, file: String) -> any RecordParser {
        switch self {
        case .hfPages: HFPagesParser(source: source, file: file)
        case .arxivAtom: ArxivAtomParser(source: source, file: file)
        case .oaiPMH: OAIPMHParser(source: source, file: file)
        case .arxivSnapshot: ArxivSnapshotParser(source: source, file: file)
        case .hfDaily: HFDailyParser(source: source, file: file)
        }
    }
}
