import Foundation

/// Reads a file line by line in blocks, so a certificate of millions of records is never held
/// in memory whole.
struct LineReader {
    private let handle: FileHandle
    private var buffer = Data()
    /// Where the unread part of `buffer` starts.
    private var position = 0
    private var atEnd = false

    init(path: String) throws(CertifyError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable("\(path): cannot open the certificate") }
        self.handle = handle
    }

    /// The next line without its newline, or nil at the end of the file.
    mutating func next() -> Data? {
        while true {
            if let newline = buffer[position...].firstIndex(of: 0x0A) {
                let line = Data(buffer[position..<newline])
                position = newline + 1
                return line
            }
            if atEnd {
                guard position < buffer.count else { return nil }
                defer { position = buffer.count }
                return Data(buffer[position...])
            }
            buffer = Data(buffer[position...])
            position = 0
            let block = handle.readData(ofLength: 1 << 20)
            if block.isEmpty { atEnd = true } else { buffer.append(block) }
        }
    }
}
