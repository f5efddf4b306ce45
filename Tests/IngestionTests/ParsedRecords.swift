import Ingestion
import PaperboyCore

/// The papers among parsed records, in order.
func papers(_ records: [ParsedRecord]) -> [Paper] {
    records.compactMap { if case .paper(let paper) = $0 { paper } else { nil } }
}

/// The rejections among parsed records, in order.
func rejections(_ records: [ParsedRecord]) -> [Rejection] {
    records.compactMap { if case .rejected(let rejection) = $0 { rejection } else { nil } }
}
