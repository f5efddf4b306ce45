import Foundation

/// Temporary files that writers killed mid-write left beside a file they were replacing.
/// A writer names its temporary after its process id and renames it into place when done; a
/// temporary whose process is gone never will be, and it is as large as the file, so a
/// crash-prone machine would fill its disk with them. Each save clears them first.
public enum LeftoverTemporaries {
    /// Removes the files in `directory` named `prefix`, a process id, then `suffix`, whose
    /// process no longer runs. A live process's temporary is left alone, whoever it is.
    public static func remove(in directory: String, prefix: String, suffix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(suffix) && name.count > prefix.count + suffix.count {
            guard let pid = Int32(name.dropFirst(prefix.count).dropLast(suffix.count)), pid > 0 else { continue }
            if kill(pid, 0) != 0, errno == ESRCH {
                unlink((directory.isEmpty ? "." : directory) + "/" + name)
            }
        }
    }
}
