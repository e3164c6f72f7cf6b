/// A result file a user handed over that is not one.
public struct ResultFileError: Error, Equatable, CustomStringConvertible {
    public var fileName: String
    public var message: String

    public init(fileName: String, message: String) {
        self.fileName = fileName
        self.message = message
    }

    public var description: String { "\(fileName): \(message)" }
}
