import CCurl
import Foundation

// Every libcurl pointer of the check engine lives in this file (those of notification transfers in
// CurlTransfer.swift). The wrappers are confined to the `CurlMultiLoop` thread: they are created, used and freed
// there only (the one exception is `CurlWaker`, see its documentation).

/// libcurl's process-wide setup, run once before the first handle is made.
enum CurlGlobal {
    /// True when `curl_global_init(CURL_GLOBAL_ALL)` succeeded; evaluated once, on first use.
    static let isReady: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}

/// The response body as read, capped at `cap` bytes.
///
/// Cap policy: once a chunk would pass the cap, the bytes up to the cap are kept, `truncated` is set and the write
/// callback returns a short count. libcurl then aborts the transfer with `CURLE_WRITE_ERROR`, which
/// ``CurlEasy/transferError(_:)`` treats as a complete response "body truncated at cap" — so a huge body costs no
/// more than `cap` bytes of download.
final class CurlBodyBuffer {
    /// Most bytes kept.
    let cap: Int
    /// The bytes kept, at most `cap`.
    private(set) var bytes: [UInt8] = []
    /// True when the server sent more than `cap` bytes.
    private(set) var truncated = false

    /// An empty buffer keeping at most `cap` bytes.
    init(cap: Int) {
        self.cap = max(0, cap)
    }

    /// Keeps `chunk` up to the cap; returns false (stop reading) when the cap was passed.
    func append(_ chunk: UnsafeRawBufferPointer) -> Bool {
        let room = cap - bytes.count
        guard chunk.count <= room else {
            bytes.append(contentsOf: chunk.prefix(room))
            truncated = true
            return false
        }
        bytes.append(contentsOf: chunk)
        return true
    }
}

/// Why a transfer ended without a complete response.
enum CurlTransferError: Sendable, Equatable {
    /// The host name did not resolve.
    case dns
    /// Nothing listens on the port.
    case connectionRefused
    /// The connection failed for another reason (detail from curl).
    case connect(String)
    /// `CURLOPT_TIMEOUT_MS` passed.
    case timeout
    /// A TLS handshake or certificate failure (detail from curl).
    case tls(String)
    /// More redirects than `CURLOPT_MAXREDIRS`.
    case tooManyRedirects
    /// The check was cancelled or the loop shut down (the reason).
    case cancelled(String)
    /// Any other failure (curl's detail).
    case other(String)
}

/// A `CURL *` easy handle with its body buffer, header list and error buffer. Not thread-safe.
final class CurlEasy {
    /// The raw handle.
    let handle: UnsafeMutableRawPointer
    /// Where the write callback puts the body.
    private(set) var body: CurlBodyBuffer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// A handle with NOSIGNAL, an error buffer and a body capped at `maxBodyBytes`; nil when libcurl fails.
    init?(maxBodyBytes: Int) {
        guard CurlGlobal.isReady, let handle = curl_easy_init() else { return nil }
        self.handle = handle
        body = CurlBodyBuffer(cap: maxBodyBytes)
        let size = Int(CURL_ERROR_SIZE)
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
        setDefaults()
    }

    /// Back to the state of a new handle, with an empty body capped at `maxBodyBytes` (`curl_easy_reset`: every
    /// option returns to its default; the handle keeps only caches the checks do not use, see ``setDefaults()``).
    func reset(maxBodyBytes: Int) {
        curl_easy_reset(handle)
        curl_slist_free_all(headerList)
        headerList = nil
        errorBuffer[0] = 0
        body = CurlBodyBuffer(cap: maxBodyBytes)
        setDefaults()
    }

    /// The options every check starts from: NOSIGNAL, the error buffer, the body callback, and no TLS session reuse
    /// (a handle used again must still make a full handshake, as a new one does).
    private func setDefaults() {
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_SSL_SESSIONID_CACHE, 0)
        _ = knocker_curl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = knocker_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(body).toOpaque())
        _ = knocker_curl_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION) { data, size, count, userdata in
            let total = size * count
            guard let userdata else { return 0 }
            let buffer = Unmanaged<CurlBodyBuffer>.fromOpaque(userdata).takeUnretainedValue()
            return buffer.append(UnsafeRawBufferPointer(start: data, count: total)) ? total : 0
        }
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Sets a `long` option.
    @discardableResult
    func set(_ option: CURLoption, _ value: Int) -> CURLcode {
        knocker_curl_easy_setopt_long(handle, option, value)
    }

    /// Sets a string option (libcurl copies the string).
    @discardableResult
    func set(_ option: CURLoption, _ value: String) -> CURLcode {
        value.withCString { knocker_curl_easy_setopt_string(handle, option, $0) }
    }

    /// Trusts the CA certificates in the PEM bundle at `path` instead of the system store.
    func trustOnly(caFile path: String) {
        set(CURLOPT_CAINFO, path)
        _ = knocker_curl_easy_setopt_pointer(handle, CURLOPT_CAPATH, nil)
    }

    /// Sends `body` as the request body (copied by libcurl, binary-safe).
    func setPostBody(_ body: String) {
        let bytes = Array(body.utf8)
        set(CURLOPT_POSTFIELDSIZE, bytes.count)
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                _ = knocker_curl_easy_setopt_pointer(
                    handle,
                    CURLOPT_COPYPOSTFIELDS,
                    UnsafeMutableRawPointer(mutating: chars.baseAddress)
                )
            }
        }
    }

    /// Replaces the request header lines (`Name: value`).
    func setHeaders(_ lines: [String]) {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let longer = curl_slist_append(list, line) else { continue }
            list = longer
        }
        _ = knocker_curl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
        curl_slist_free_all(headerList)
        headerList = list
    }

    /// A `long` info value (0 when unavailable).
    func info(_ info: CURLINFO) -> Int {
        var value = 0
        return knocker_curl_easy_getinfo_long(handle, info, &value) == CURLE_OK ? value : 0
    }

    /// A `*_TIME_T` info value, microseconds (0 when unavailable).
    func microseconds(_ info: CURLINFO) -> Int64 {
        var value: curl_off_t = 0
        return knocker_curl_easy_getinfo_off_t(handle, info, &value) == CURLE_OK ? Int64(value) : 0
    }

    /// The server certificate's "Expire date" text from `CURLINFO_CERTINFO` (needs `CURLOPT_CERTINFO`), e.g.
    /// `Mar  5 17:00:00 2027 GMT`; nil when there is none.
    func certificateExpiryText() -> String? {
        var raw: UnsafeMutableRawPointer?
        guard knocker_curl_easy_getinfo_pointer(handle, CURLINFO_CERTINFO, &raw) == CURLE_OK, let raw else {
            return nil
        }
        let info = raw.assumingMemoryBound(to: curl_certinfo.self).pointee
        guard info.num_of_certs > 0, let lists = info.certinfo else { return nil }
        let prefix = "Expire date:"
        var node = lists[0]
        while let entry = node {
            if let data = entry.pointee.data {
                let field = String(cString: data)
                if field.hasPrefix(prefix) { return String(field.dropFirst(prefix.count)) }
            }
            node = entry.pointee.next
        }
        return nil
    }

    /// Maps the transfer's result to an error, or nil for a complete response (a body cut at the cap included).
    func transferError(_ code: CURLcode) -> CurlTransferError? {
        let detail = String(cString: errorBuffer)
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        switch code {
        case CURLE_OK: return nil
        case CURLE_WRITE_ERROR where body.truncated: return nil
        case CURLE_COULDNT_RESOLVE_HOST: return .dns
        case CURLE_COULDNT_CONNECT:
            return info(CURLINFO_OS_ERRNO) == Int(ECONNREFUSED) ? .connectionRefused : .connect(text)
        case CURLE_OPERATION_TIMEDOUT: return .timeout
        case CURLE_TOO_MANY_REDIRECTS: return .tooManyRedirects
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return .tls(text)
        case CURLE_GOT_NOTHING: return .other("empty reply from server")
        default: return .other(text)
        }
    }
}

@available(*, unavailable)
extension CurlEasy: Sendable {}

/// Wakes a multi handle's `curl_multi_poll` from any thread.
///
/// `@unchecked Sendable` because `curl_multi_wakeup` is documented thread-safe; `CurlMultiLoop` and
/// `CurlTransferCancellation` only call it under their lock while the multi is alive.
struct CurlWaker: @unchecked Sendable {
    fileprivate let handle: UnsafeMutableRawPointer

    /// The waker of the `CURLM *` `multi`; the owner calls ``wake()`` only while that handle is alive.
    init(multi: UnsafeMutableRawPointer) {
        handle = multi
    }

    /// Interrupts the current or next `curl_multi_poll`.
    func wake() {
        _ = curl_multi_wakeup(handle)
    }
}

/// A `CURLM *` multi handle, and the easy handles kept for reuse. Not thread-safe (except through ``waker``).
final class CurlMulti {
    /// Most finished easy handles kept for reuse (each holds libcurl's state and a 16 KiB receive buffer).
    static let spareLimit = 128

    private let handle: UnsafeMutableRawPointer
    private var spare: [CurlEasy] = []

    /// A new multi handle opening at most `maxTotalConnections` connections at once (0: no limit); nil when libcurl
    /// fails.
    init?(maxTotalConnections: Int = 0) {
        guard CurlGlobal.isReady, let handle = curl_multi_init() else { return nil }
        self.handle = handle
        if maxTotalConnections > 0 {
            _ = knocker_curl_multi_setopt_long(handle, CURLMOPT_MAX_TOTAL_CONNECTIONS, maxTotalConnections)
        }
    }

    deinit {
        curl_multi_cleanup(handle)
    }

    /// The thread-safe waker; valid while this multi lives.
    var waker: CurlWaker { CurlWaker(multi: handle) }

    /// An easy handle in its initial state with a body capped at `maxBodyBytes`: a kept one when there is one
    /// (saving libcurl's handle setup), else a new one; nil when libcurl fails.
    func makeEasy(maxBodyBytes: Int) -> CurlEasy? {
        guard let easy = spare.popLast() else { return CurlEasy(maxBodyBytes: maxBodyBytes) }
        easy.reset(maxBodyBytes: maxBodyBytes)
        return easy
    }

    /// Keeps `easy`, already removed from this multi, for ``makeEasy(maxBodyBytes:)``; its body is dropped now.
    func recycle(_ easy: CurlEasy) {
        guard spare.count < Self.spareLimit else { return }
        easy.reset(maxBodyBytes: 0)
        spare.append(easy)
    }

    /// Starts driving `easy`; false when libcurl refuses.
    func add(_ easy: CurlEasy) -> Bool {
        curl_multi_add_handle(handle, easy.handle) == CURLM_OK
    }

    /// Stops driving `easy`.
    func remove(_ easy: CurlEasy) {
        _ = curl_multi_remove_handle(handle, easy.handle)
    }

    /// Does whatever I/O is ready without blocking.
    func perform() {
        var running: Int32 = 0
        _ = curl_multi_perform(handle, &running)
    }

    /// Waits up to `timeoutMs` for I/O, a curl timer or a wake-up.
    func poll(timeoutMs: Int32) {
        _ = curl_multi_poll(handle, nil, 0, timeoutMs, nil)
    }

    /// The next finished transfer: its easy handle's address and result code.
    func nextDone() -> (easy: UnsafeMutableRawPointer, code: CURLcode)? {
        var left: Int32 = 0
        while let message = curl_multi_info_read(handle, &left) {
            if message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle {
                return (easy, message.pointee.data.result)
            }
        }
        return nil
    }
}

@available(*, unavailable)
extension CurlMulti: Sendable {}
