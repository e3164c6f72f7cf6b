import VNNLIB

extension Specification {
    /// The case indices grouped by input region (same box and input constraints), in order of
    /// first appearance: cases over one region share network evaluations during search.
    /// - Complexity: O(cases²) comparisons of regions.
    func regionGroups() -> [[Int]] {
        var groups: [[Int]] = []
        var keys: [SpecificationCase] = []
        for index in cases.indices {
            var key = cases[index]
            key.outputConstraints = []
            if let g = keys.firstIndex(of: key) { groups[g].append(index) } else { keys.append(key); groups.append([index]) }
        }
        return groups
    }
}
