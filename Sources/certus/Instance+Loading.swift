import CertusKit

extension Instance {
    /// Reads both files; any problem becomes an `InputError` naming the file as given.
    static func load(model: String, property: String) throws -> Instance {
        do {
            return try Instance(model: model, property: property)
        } catch {
            throw InputError(description: error.description)
        }
    }
}
