extension Dictionary {
    /// Changes every value in place. Writing `dictionary[key] = value` while iterating it
    /// copies the whole dictionary first (the iteration holds its storage); values changed
    /// through their index are not copied, and indices stay valid.
    mutating func updateEachValue(_ body: (inout Value) throws -> Void) rethrows {
        var index = values.startIndex
        while index != values.endIndex {
            try body(&values[index])
            values.formIndex(after: &index)
        }
    }
}
