/// Weekly counts as a row of Unicode block characters (`▁▂▃▅▇`), for mail.
///
/// Mail programs do not draw inline SVG reliably (several strip it, some show its text as
/// words) and the digest carries no images at all, so the digest's "Rising this week" shows
/// its trend as text that every client renders, in the plain-text part too. An empty week
/// is the lowest block, so every week keeps its place.
enum BlockSparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One block per count, the highest count the full block.
    static func text(_ counts: [Int]) -> String {
        let top = max(1, counts.max() ?? 0)
        return String(counts.map { count in
            // 0 → the lowest block; 1…top spread over the other seven, the top one full.
            count <= 0 ? blocks[0] : blocks[1 + min(count, top) * (blocks.count - 2) / top]
        })
    }
}
