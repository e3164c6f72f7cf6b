/// Why a certificate could not be checked at all (as opposed to being checked and found wrong).
public enum CertifyError: Error, CustomStringConvertible, Sendable {
    /// The certificate file cannot be read or is not a certificate.
    case unreadable(String)
    /// The network uses something the checker does not handle.
    case unsupported(String)

    public var description: String {
        switch self {
        case let .unreadable(reason): reason
        case let .unsupported(reason): reason
        }
    }
}
