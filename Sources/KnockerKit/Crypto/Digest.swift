import COpenSSL

/// Message digests through OpenSSL's one-shot EVP interface. All OpenSSL pointer code for digests lives here.
public enum Digest {
    /// SHA-256 of `bytes`.
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        digest(bytes, algorithm: EVP_sha256(), size: 32)
    }

    /// SHA-1 of `bytes` (for Redis script hashes; not for anything that needs collision resistance).
    public static func sha1(_ bytes: some Collection<UInt8>) -> [UInt8] {
        digest(bytes, algorithm: EVP_sha1(), size: 20)
    }

    private static func digest(_ bytes: some Collection<UInt8>, algorithm: OpaquePointer?, size: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let input = Array(bytes)
        let ok = input.withUnsafeBytes { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                EVP_Digest(
                    inputBuffer.baseAddress,
                    inputBuffer.count,
                    outputBuffer.baseAddress,
                    &length,
                    algorithm,
                    nil
                )
            }
        }
        // EVP_Digest with a built-in algorithm and memory buffers cannot fail short of memory exhaustion; an
        // all-zero digest would then never match a recorded checksum, which is reported, not ignored.
        return ok == 1 ? Array(output.prefix(Int(length))) : [UInt8](repeating: 0, count: size)
    }

    /// Lower-case hexadecimal text of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// MD5 of `bytes` (16 bytes). Used only where a wire format demands it (asynq unique-task lock keys), never for
    /// anything security-relevant.
    public static func md5(_ bytes: some Collection<UInt8>) -> [UInt8] {
        digest(bytes, algorithm: EVP_md5(), size: 16)
    }
}
