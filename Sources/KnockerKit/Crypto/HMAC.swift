import COpenSSL

extension Digest {
    /// HMAC-SHA256 of `message` keyed with `key` (32 bytes), through OpenSSL's one-shot `HMAC`.
    public static func hmacSHA256(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        // OpenSSL wants a non-null key pointer even for an empty key; a one-byte buffer with length 0 is that.
        let keyBytes = key.isEmpty ? [0] : Array(key)
        let keyLength = Int32(clamping: key.count)
        let input = Array(message)
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = keyBytes.withUnsafeBytes { keyBuffer in
            input.withUnsafeBufferPointer { inputBuffer in
                output.withUnsafeMutableBufferPointer { outputBuffer in
                    HMAC(
                        EVP_sha256(),
                        keyBuffer.baseAddress,
                        keyLength,
                        inputBuffer.baseAddress ?? keyBuffer.baseAddress?.assumingMemoryBound(to: UInt8.self),
                        inputBuffer.count,
                        outputBuffer.baseAddress,
                        &length
                    ) != nil
                }
            }
        }
        // A built-in digest over memory buffers fails only when memory runs out; an all-zero MAC then never
        // verifies, which the receiver reports.
        return ok ? Array(output.prefix(Int(length))) : [UInt8](repeating: 0, count: 32)
    }
}
