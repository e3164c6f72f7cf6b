/// Which input position each output position of a sliding window reads, for each kernel offset:
/// the geometry that Conv, AveragePool and MaxPool share.
struct WindowReads {
    /// The number of kernel offsets per output position.
    let kernelPixels: Int
    /// `offsets[o · kernelPixels + k]`: the flat input position read by output position `o` at
    /// kernel offset `k` (row-major over the spatial axes), or −1 where it falls in the padding
    /// (a sentinel rather than an optional: the table may hold 2^26 entries).
    let offsets: [Int]

    /// - Parameters: the spatial sizes of the input, the output and the kernel, and per axis the
    ///   stride, the leading padding and the dilation (the caller checks them).
    init(input inSize: [Int], output outSize: [Int], kernel: [Int], strides: [Int], padBegin: [Int], dilations: [Int]) {
        let rank = inSize.count
        let outPixels = outSize.reduce(1, *), kernelPixels = kernel.reduce(1, *)
        let inStrides = Shapes.strides(inSize), outStrides = Shapes.strides(outSize), kernelStrides = Shapes.strides(kernel)
        var offsets: [Int] = []
        offsets.reserveCapacity(outPixels * kernelPixels)
        for o in 0..<outPixels {
            for k in 0..<kernelPixels {
                var offset = 0
                var inside = true
                for axis in 0..<rank {
                    let out = (o / outStrides[axis]) % outSize[axis], at = (k / kernelStrides[axis]) % kernel[axis]
                    let position = out * strides[axis] - padBegin[axis] + at * dilations[axis]
                    if position < 0 || position >= inSize[axis] { inside = false; break }
                    offset += position * inStrides[axis]
                }
                offsets.append(inside ? offset : -1)
            }
        }
        self.kernelPixels = kernelPixels
        self.offsets = offsets
    }

    /// The reads of output position `o`, kernel offset by kernel offset (−1 in the padding).
    func window(_ o: Int) -> ArraySlice<Int> {
        offsets[(o * kernelPixels)..<((o + 1) * kernelPixels)]
    }
}
