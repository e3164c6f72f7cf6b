import Foundation

/// The process's resident memory and the machine's, for `--memory-limit`.
enum MemoryUsage {
    /// The default memory limit: three quarters of the memory the process may use (the
    /// smaller of physical memory and a cgroup v2 limit), leaving room for the system and for
    /// the guard to act before the kernel's out-of-memory killer does.
    static var defaultLimit: Int {
        var available = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        if let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
           let cgroup = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), cgroup > 0 {
            available = min(available, cgroup)
        }
        return available / 4 * 3
    }

    /// Resident memory in bytes, from `/proc/self/statm` (second field, in pages); nil where
    /// that file does not exist (not Linux), which disables the memory check.
    static func residentBytes() -> Int? {
        let descriptor = open("/proc/self/statm", O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let fields = String(decoding: buffer[..<count], as: UTF8.self).split(separator: " ")
        guard fields.count >= 2, let pages = Int(fields[1]) else { return nil }
        return pages * sysconf(Int32(_SC_PAGESIZE))
    }
}
