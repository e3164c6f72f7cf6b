import Foundation

/// How a child process ended.
public struct ProcessOutcome: Sendable, Equatable {
    /// The exit status, or the signal number when `wasSignalled`.
    public var status: Int32
    /// Whether a signal ended it.
    public var wasSignalled: Bool
    /// Whether the runner killed it for running past its time limit.
    public var wasKilled: Bool
    /// Wall-clock seconds from launch to exit.
    public var seconds: Double
    /// Why it could not be started, if it could not.
    public var launchError: String?

    /// True for a normal exit with status 0.
    public var succeeded: Bool { launchError == nil && !wasSignalled && status == 0 }
}

/// Runs a child process with a hard time limit (`Foundation.Process`).
///
/// On Linux the child leads its own process group, so at the limit the whole group (a shell
/// and the verifier it started) gets SIGTERM and, `grace` seconds later, SIGKILL; leftovers of
/// the group are killed when the child exits, so a verifier's stray workers cannot slow the
/// next instance. Where the child shares the runner's group, only the child is signalled.
public enum ProcessRunner {
    /// Runs `executable` with `arguments`.
    /// - Parameters:
    ///   - standardOutput, standardError: files that receive the streams (created, truncated);
    ///     nil discards them.
    ///   - timeLimit: seconds before the kill.
    ///   - grace: seconds between SIGTERM and SIGKILL.
    public static func run(_ executable: URL, arguments: [String], currentDirectory: URL? = nil,
                           environment: [String: String] = [:], standardOutput: URL?, standardError: URL?,
                           timeLimit: Double, grace: Double = 2) async -> ProcessOutcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardInput = FileHandle.nullDevice
        var handles: [FileHandle] = []
        for (url, assign) in [(standardOutput, { (h: FileHandle) in process.standardOutput = h }),
                              (standardError, { (h: FileHandle) in process.standardError = h })] {
            if let url, FileManager.default.createFile(atPath: url.path, contents: nil),
               let handle = FileHandle(forWritingAtPath: url.path) {
                assign(handle)
                handles.append(handle)
            } else {
                assign(FileHandle.nullDevice)
            }
        }
        defer { for handle in handles { try? handle.close() } }

        let (exited, exit) = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in
            exit.yield()
            exit.finish()
        }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            try process.run()
        } catch {
            return ProcessOutcome(status: -1, wasSignalled: false, wasKilled: false, seconds: 0,
                                  launchError: "cannot start \(executable.path): \(error.localizedDescription)")
        }
        let pid = process.processIdentifier
        let ownsGroup = getpgid(pid) == pid
        // `Duration` cannot hold astronomic second counts (1e300 traps): beyond 1e9 s (31 years)
        // a limit is no limit. NaN and negative values count as 0.
        let limitSeconds = timeLimit.isNaN ? 0 : min(max(timeLimit, 0), 1e9)
        let graceSeconds = grace.isNaN ? 0 : min(max(grace, 0), 1e9)
        let killer = Task<Bool, Never> {
            do { try await Task.sleep(for: .seconds(limitSeconds)) } catch { return false }
            signal(pid, SIGTERM, group: ownsGroup)
            do { try await Task.sleep(for: .seconds(graceSeconds)) } catch { return true }
            signal(pid, SIGKILL, group: ownsGroup)
            return true
        }
        for await _ in exited { break }
        let seconds = Seconds.of(clock.now - start)
        killer.cancel()
        let wasKilled = await killer.value
        if ownsGroup { signal(pid, SIGKILL, group: true) }  // leftovers of the group
        return ProcessOutcome(status: process.terminationStatus, wasSignalled: process.terminationReason == .uncaughtSignal,
                              wasKilled: wasKilled, seconds: seconds, launchError: nil)
    }

    /// Sends `signal` to the child's process group, or to the child alone.
    static func signal(_ pid: Int32, _ signal: Int32, group: Bool) {
        _ = kill(group ? -pid : pid, signal)
    }
}
