import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One run of the sendmail program, started with `posix_spawn` rather than `Process` so that
/// it begins with no signals blocked: a program started from a Swift concurrency thread would
/// otherwise inherit that thread's mask, in which nearly every signal is blocked, and then
/// neither its own alarms nor our timeout's signal would reach it.
enum SendmailProcess {
    /// Runs `executable` with `arguments`, standard input read from the file `input`, standard
    /// output and error written to the file `output`. Nil when it ran past `timeout` and was killed.
    ///
    /// - Throws: `MailerError` (`.sendmail`) when the program cannot be started.
    static func run(_ executable: String, arguments: [String], input: String, output: String, timeout: Duration) async throws -> SendmailExit.Termination? {
        let pid = try spawn(executable, arguments: arguments, input: input, output: output)
        let child = Child(pid: pid)
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) { child.stopForTimeout() }
        return await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: child.wait()) }.start()
        }
    }

    private static func spawn(_ executable: String, arguments: [String], input: String, output: String) throws -> pid_t {
        #if canImport(Darwin)
        var attributes: posix_spawnattr_t = nil
        var files: posix_spawn_file_actions_t = nil
        #else
        var attributes = posix_spawnattr_t()
        var files = posix_spawn_file_actions_t()
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)  // undo inherited "ignore" too (SIGPIPE)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        posix_spawn_file_actions_init(&files)
        defer { posix_spawn_file_actions_destroy(&files) }
        posix_spawn_file_actions_addopen(&files, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&files, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&files, 1, 2)

        let argv = ([executable] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let result = (argv + [nil]).withUnsafeBufferPointer { argv in
            guard let argv = argv.baseAddress else { return EINVAL }
            return posix_spawn(&pid, executable, &files, &attributes, argv, environment)
        }
        guard result == 0 else {
            throw MailerError(
                .sendmail, message: "Could not run \(executable): \(String(cString: strerror(result))); check that it exists and is executable, or configure the SMTP transport instead.")
        }
        return pid
    }

    private static var environment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        #if canImport(Darwin)
        _NSGetEnviron().pointee
        #else
        environ
        #endif
    }

    /// A started child: waited for on its own thread, killed by the timeout only while it has
    /// not yet been reaped, so the signal can never reach a process that reused its pid.
    private final class Child: Sendable {
        private struct State {
            var exited = false
            var killed = false
        }

        let pid: pid_t
        private let state = Mutex(State())

        init(pid: pid_t) {
            self.pid = pid
        }

        func stopForTimeout() {
            state.withLock { state in
                guard !state.exited else { return }
                state.killed = true
                _ = kill(pid, SIGKILL)
            }
        }

        /// Blocks until the child ends, then reaps it.
        func wait() -> SendmailExit.Termination? {
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1, errno == EINTR {}
            let killed = state.withLock { state in
                state.exited = true
                return state.killed
            }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1, errno == EINTR {}
            let signal = status & 0x7F
            if signal == 0 { return .exited((status >> 8) & 0xFF) }
            return killed && signal == SIGKILL ? nil : .signalled(signal)
        }
    }
}
