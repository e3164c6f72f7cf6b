/// Everything that can be wrong with a VNN-LIB property file. Every case that comes from the
/// text carries the `SourceLocation` of the culprit; `description` is one line of the form
/// `prop.vnnlib:12:9: expected ')' but found end of file`.
public enum VNNLIBError: Error, Hashable, CustomStringConvertible {
    /// The file could not be read (missing, a directory, no permission, ...).
    case unreadableFile(path: String, reason: String)
    /// The file (or text) is larger than the parser accepts.
    case fileTooLarge(path: String, size: Int, limit: Int)
    /// A token or expression other than the one the grammar allows here.
    case unexpected(SourceLocation, expected: String, found: String)
    /// Something that starts like a numeral but is not one (`1.2.3`, `1e`); `text` is
    /// shortened to 40 characters.
    case invalidNumeral(SourceLocation, text: String)
    /// A numeral with more digits, or a larger exponent, than the limits allow; `text` is
    /// shortened to 40 characters.
    case numeralOutOfRange(SourceLocation, text: String, maximumDigits: Int, maximumExponent: Int)
    /// A product whose exact value needs more bits than the limit.
    case numberTooLarge(SourceLocation, limit: Int)
    /// Parentheses nested deeper than the limit.
    case nestingTooDeep(SourceLocation, limit: Int)
    /// A top-level command other than `declare-const` and `assert` (and the ignored
    /// `set-logic`, `set-info`, `check-sat`, `get-model`).
    case unknownCommand(SourceLocation, name: String)
    /// An operator applied to the wrong number of arguments.
    case wrongArgumentCount(SourceLocation, operator: String, expected: String, found: Int)
    /// A declared name that is not `X_i` or `Y_j`.
    case invalidVariableName(SourceLocation, name: String)
    /// A variable declared twice; `previous` is the first declaration.
    case duplicateDeclaration(SourceLocation, name: String, previous: SourceLocation)
    /// A variable used before (or without) its declaration.
    case undeclaredVariable(SourceLocation, name: String)
    /// Declared indices with a gap: `declared` (at the location) exists but `missing` does not.
    case missingDeclaration(SourceLocation, missing: String, declared: String)
    /// A product with more than one factor that mentions a variable.
    case nonlinearProduct(SourceLocation)
    /// The cases of the disjunctive normal form would take more memory than the limit
    /// (`limitBytes`); `cases` were built when the expansion stopped.
    case tooManyCases(SourceLocation, limitBytes: Int, cases: Int)
    /// A VNN-LIB 2.0 query that breaks one of the standard's rules (scoping, typing, network
    /// equivalence) or uses a feature Certus does not verify; `message` says which.
    case invalidQuery(SourceLocation, message: String)

    /// Where in the file the error is, when it comes from the text.
    public var location: SourceLocation? {
        switch self {
        case .unreadableFile, .fileTooLarge:
            nil
        case let .unexpected(l, _, _), let .invalidNumeral(l, _), let .numeralOutOfRange(l, _, _, _),
             let .numberTooLarge(l, _), let .nestingTooDeep(l, _),
             let .unknownCommand(l, _), let .wrongArgumentCount(l, _, _, _), let .invalidVariableName(l, _),
             let .duplicateDeclaration(l, _, _), let .undeclaredVariable(l, _), let .missingDeclaration(l, _, _),
             let .nonlinearProduct(l), let .tooManyCases(l, _, _), let .invalidQuery(l, _):
            l
        }
    }

    /// One line naming the file, the line and column when known, and what is wrong. Control
    /// and line-separator characters (which only a file name can bring in) are shown escaped.
    public var description: String {
        String(rawDescription.unicodeScalars.map { scalar -> String in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: scalar.escaped(asASCII: true)
            default: String(scalar)
            }
        }.joined())
    }

    private var rawDescription: String {
        switch self {
        case let .unreadableFile(path, reason):
            "\(path): cannot read the file: \(reason)"
        case let .fileTooLarge(path, size, limit):
            "\(path): the file has \(size) bytes, more than the limit of \(limit)"
        case let .unexpected(l, expected, found):
            "\(l): expected \(expected) but found \(found)"
        case let .invalidNumeral(l, text):
            "\(l): '\(text)' is not a valid numeral"
        case let .numeralOutOfRange(l, text, digits, exponent):
            "\(l): numeral '\(text)' is out of range (at most \(digits) digits and an exponent of at most \(exponent) in magnitude)"
        case let .numberTooLarge(l, limit):
            "\(l): the product's exact value needs more than \(limit) bits"
        case let .nestingTooDeep(l, limit):
            "\(l): parentheses are nested more than \(limit) deep"
        case let .unknownCommand(l, name):
            "\(l): unknown command '\(name)' (expected declare-const or assert)"
        case let .wrongArgumentCount(l, op, expected, found):
            "\(l): '\(op)' takes \(expected) but has \(found)"
        case let .invalidVariableName(l, name):
            "\(l): expected a variable name X_i or Y_j but found '\(name)'"
        case let .duplicateDeclaration(l, name, previous):
            "\(l): '\(name)' is already declared at line \(previous.line), column \(previous.column)"
        case let .undeclaredVariable(l, name):
            "\(l): variable '\(name)' is used but not declared"
        case let .missingDeclaration(l, missing, declared):
            "\(l): '\(declared)' is declared but '\(missing)' is not (indices must run from 0 without gaps)"
        case let .nonlinearProduct(l):
            "\(l): non-linear product: at most one factor of '*' may mention a variable"
        case let .tooManyCases(l, limitBytes, cases):
            "\(l): the property's disjunctive normal form needs more than \(Self.mebibytes(limitBytes)) of memory (\(cases) cases so far); the disjunctions multiply out too far"
        case let .invalidQuery(l, message):
            "\(l): \(message)"
        }
    }

    /// `256 MiB`, or bytes when below one MiB (a test's small limit).
    private static func mebibytes(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }
}
