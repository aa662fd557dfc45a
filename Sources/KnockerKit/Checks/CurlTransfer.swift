import CCurl
import Foundation
import Synchronization

// A blocking, single-transfer libcurl wrapper for notification delivery: an HTTP POST or an SMTP submission, driven
// by a multi handle of its own so another thread can abort it (``CurlTransferCancellation``). Every libcurl
// pointer of that path lives in this file; callers see only the Swift types below. `perform(cancellation:)` blocks
// its thread for up to the request's timeout, so it must run on a thread the caller owns (the notification
// sender's `BlockingThreadPool`), never on Swift's cooperative pool.

/// Aborts a running ``CurlTransferRequest/perform(cancellation:)`` from any thread: ``cancel()`` wakes the
/// transfer's `curl_multi_poll`, its progress callback then fails the transfer (`CURLE_ABORTED_BY_CALLBACK`, so
/// libcurl closes the connection without finishing the protocol: no SMTP end of data or `QUIT` that a hanging
/// server would never answer), and it ends as ``CurlTransferFailure/Reason/cancelled``. Cancelling before the
/// transfer starts makes it end before it connects.
final class CurlTransferCancellation: Sendable {
    private struct State {
        var isCancelled = false
        /// The running transfer's waker; set only while its multi handle is alive.
        var waker: CurlWaker?
    }

    private let state = Mutex(State())

    /// A token not cancelled yet.
    init() {}

    /// True once ``cancel()`` was called.
    var isCancelled: Bool { state.withLock { $0.isCancelled } }

    /// Aborts the transfer. Safe from any thread, any number of times.
    func cancel() {
        state.withLock { state in
            state.isCancelled = true
            state.waker?.wake()
        }
    }

    /// Lets ``cancel()`` wake `waker` until ``detach()``; false (nothing attached) when already cancelled.
    fileprivate func attach(_ waker: CurlWaker) -> Bool {
        state.withLock { state in
            guard !state.isCancelled else { return false }
            state.waker = waker
            return true
        }
    }

    /// Forgets the waker; called before its multi handle is freed.
    fileprivate func detach() {
        state.withLock { $0.waker = nil }
    }
}

/// One transfer to perform: what to send, where, and how long it may take.
struct CurlTransferRequest: Sendable {
    /// How an SMTP transfer over `smtp://` uses STARTTLS (`smtps://` is TLS from the first byte regardless).
    enum MailTLS: Sendable, Equatable {
        /// Never upgrade (`CURLUSESSL_NONE`).
        case off
        /// Upgrade when the server offers STARTTLS, go on in plain text otherwise (`CURLUSESSL_TRY`).
        case optional
        /// Upgrade or fail (`CURLUSESSL_ALL`).
        case required
    }

    /// The kind of transfer.
    enum Operation: Sendable, Equatable {
        /// `POST` `body` with the given request header lines (`Name: value`).
        case post(body: [UInt8], headers: [String])
        /// Submit `message` (RFC 5322 bytes, CRLF line ends) from `from` to `recipients` (bare addresses).
        case mail(from: String, recipients: [String], message: [UInt8], tls: MailTLS)
    }

    /// `http(s)://…` for `.post`, `smtp(s)://host:port` for `.mail`.
    var url: String
    /// What to do.
    var operation: Operation
    /// Longest the whole transfer may take, connect included; at least 1 ms.
    var timeoutMilliseconds: Int
    /// Login name (SMTP AUTH); nil for none.
    var username: String?
    /// Password for `username`.
    var password: String?
    /// `User-Agent` of HTTP requests.
    var userAgent: String?
    /// Most bytes of the response body kept (the rest ends the transfer early; see ``CurlTransferResponse``).
    var maxResponseBytes = 1024
    /// PEM file of the CA certificates to trust instead of the system's; nil for the system store.
    var caFile: String?

    /// Runs the transfer on the calling thread and returns the server's answer or why there was none.
    ///
    /// An HTTP answer of any status is a response (judging the status is the caller's business). SMTP succeeds
    /// only when the server accepted the message (250 after the data). Cancelling `cancellation` ends the transfer
    /// at once with ``CurlTransferFailure/Reason/cancelled``.
    func perform(
        cancellation: CurlTransferCancellation = CurlTransferCancellation()
    ) -> Result<CurlTransferResponse, CurlTransferFailure> {
        guard CurlGlobal.isReady, let handle = curl_easy_init() else {
            return .failure(CurlTransferFailure(reason: .setup, message: "libcurl could not be initialised"))
        }
        let session = CurlTransferSession(handle: handle, maxResponseBytes: maxResponseBytes)
        defer { session.close() }
        session.configure(self)
        guard let code = session.run(cancellation) else {
            return .failure(CurlTransferFailure(reason: .cancelled, message: "cancelled"))
        }
        return session.result(code, isMail: { if case .mail = operation { true } else { false } }())
    }
}

/// What the server answered.
struct CurlTransferResponse: Sendable, Equatable {
    /// The HTTP status, or the last SMTP reply code (250 when the message was accepted).
    var code: Int
    /// The first `maxResponseBytes` of the HTTP response body (empty for SMTP).
    var body: [UInt8]
    /// True when the body was longer than `maxResponseBytes` (the transfer stopped reading there).
    var bodyTruncated: Bool
    /// The SMTP server's reply lines, oldest first, the last 32 at most (empty for HTTP).
    var replyLines: [String]
}

/// Why a transfer got no usable answer.
struct CurlTransferFailure: Error, Sendable, Equatable {
    /// The class of failure.
    enum Reason: Sendable, Equatable {
        /// The timeout passed.
        case timeout
        /// The host name did not resolve.
        case dns
        /// Connecting failed (refused, unreachable…).
        case connect
        /// The TLS handshake failed (no common protocol or cipher, not TLS at all…).
        case tls
        /// The server's certificate was not accepted (untrusted issuer, expired, for another host…), or the CA file
        /// could not be read.
        case certificate
        /// STARTTLS was required but the SMTP server does not offer it.
        case startTLSUnavailable
        /// The SMTP server refused the login.
        case login
        /// The SMTP server refused the sender, a recipient or the message (see `code`).
        case rejected
        /// libcurl could not be set up.
        case setup
        /// ``CurlTransferCancellation/cancel()`` stopped the transfer.
        case cancelled
        /// Anything else (see `message`).
        case other
    }

    /// The class of failure.
    var reason: Reason
    /// curl's description of what went wrong, with the server's last reply appended for SMTP; for an SMTP
    /// refusal (``Reason/rejected``, ``Reason/login``) the server's reply line itself.
    var message: String
    /// The last HTTP status or SMTP reply code seen, 0 when none.
    var code: Int = 0
}

/// The state of one `perform()`: the handle, the buffers its callbacks write into and the lists it points at.
/// Confined to the thread running `perform()`; `close()` frees everything once libcurl is done with it.
private final class CurlTransferSession {
    /// Collects response body bytes up to a cap.
    final class Sink {
        let cap: Int
        var bytes: [UInt8] = []
        var truncated = false
        init(cap: Int) { self.cap = max(0, cap) }
    }

    /// Collects SMTP reply lines (the header callback gets them), keeping the last 32.
    final class Replies {
        var pending: [UInt8] = []
        var lines: [String] = []
        func add(_ chunk: UnsafeRawBufferPointer) {
            pending.append(contentsOf: chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                var line = pending[..<newline]
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                lines.append(String(decoding: line.prefix(512), as: UTF8.self))
                if lines.count > 32 { lines.removeFirst(lines.count - 32) }
                pending.removeSubrange(...newline)
            }
            if pending.count > 4096 { pending.removeAll() }
        }
    }

    /// The bytes the read callback hands to libcurl.
    final class Upload {
        let bytes: [UInt8]
        var offset = 0
        init(bytes: [UInt8]) { self.bytes = bytes }
    }

    let handle: UnsafeMutableRawPointer
    let sink: Sink
    let replies = Replies()
    var upload = Upload(bytes: [])
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// The multi handle driving `handle`, once ``run(_:)`` made it.
    private var multi: UnsafeMutableRawPointer?
    /// The token the progress callback reads, once ``run(_:)`` set it.
    private var cancellation: CurlTransferCancellation?
    /// True while `handle` is added to `multi`.
    private var isAdded = false
    private var isClosed = false

    init(handle: UnsafeMutableRawPointer, maxResponseBytes: Int) {
        self.handle = handle
        sink = Sink(cap: maxResponseBytes)
        let size = Int(CURL_ERROR_SIZE)
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
    }

    /// Frees the handles (which may still call the callbacks while they close the connection), then the lists and
    /// buffers. The callbacks' targets are this object's properties, alive until `close()` returns.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        withExtendedLifetime((sink, replies, upload, cancellation)) {
            // Removing a transfer that has not finished closes its connection as dead: no SMTP QUIT is sent.
            if let multi, isAdded { _ = curl_multi_remove_handle(multi, handle) }
            curl_easy_cleanup(handle)
            if let multi { _ = curl_multi_cleanup(multi) }
        }
        for list in lists { curl_slist_free_all(list) }
        lists.removeAll()
        errorBuffer.deallocate()
    }

    /// Drives the transfer on a multi handle of its own until it ends and returns its result code; nil when
    /// `cancellation` stopped it. The poll wakes at least once a second, and at once on ``cancel()``; the next
    /// `curl_multi_perform` calls the progress callback, which aborts the transfer.
    func run(_ cancellation: CurlTransferCancellation) -> CURLcode? {
        guard let multi = curl_multi_init() else { return CURLE_OUT_OF_MEMORY }
        self.multi = multi
        self.cancellation = cancellation
        set(CURLOPT_NOPROGRESS, 0)
        _ = knocker_curl_easy_setopt_pointer(
            handle,
            CURLOPT_XFERINFODATA,
            Unmanaged.passUnretained(cancellation).toOpaque()
        )
        _ = knocker_curl_easy_setopt_xferinfo_function(handle) { userdata, _, _, _, _ in
            guard let userdata else { return 0 }
            return Unmanaged<CurlTransferCancellation>.fromOpaque(userdata).takeUnretainedValue().isCancelled ? 1 : 0
        }
        guard curl_multi_add_handle(multi, handle) == CURLM_OK else { return CURLE_FAILED_INIT }
        isAdded = true
        guard cancellation.attach(CurlWaker(multi: multi)) else { return nil }
        // Detached before close() frees the multi handle, so cancel() never wakes a freed one.
        defer { cancellation.detach() }
        var cancelledAt: ContinuousClock.Instant?
        while true {
            var running: Int32 = 0
            guard curl_multi_perform(multi, &running) == CURLM_OK else { return CURLE_FAILED_INIT }
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE else { continue }
                let code = message.pointee.data.result
                // Only the progress callback aborts, and only once cancelled.
                return code == CURLE_ABORTED_BY_CALLBACK ? nil : code
            }
            // Not running and not done cannot happen; end rather than spin.
            guard running > 0 else { return CURLE_FAILED_INIT }
            if cancellation.isCancelled {
                // The callback runs on every perform; should this libcurl not call it, give up on a clean abort.
                let since = cancelledAt ?? .now
                cancelledAt = since
                if since.duration(to: .now) > .seconds(2) { return nil }
            }
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    private func set(_ option: CURLoption, _ value: Int) {
        _ = knocker_curl_easy_setopt_long(handle, option, value)
    }

    private func set(_ option: CURLoption, _ value: String) {
        _ = value.withCString { knocker_curl_easy_setopt_string(handle, option, $0) }
    }

    private func setList(_ option: CURLoption, _ items: [String]) {
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items {
            guard let longer = curl_slist_append(list, item) else { continue }
            list = longer
        }
        guard let list else { return }
        lists.append(list)
        _ = knocker_curl_easy_setopt_slist(handle, option, list)
    }

    func configure(_ request: CurlTransferRequest) {
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_FORBID_REUSE, 1)
        set(CURLOPT_TIMEOUT_MS, max(1, request.timeoutMilliseconds))
        set(CURLOPT_URL, request.url)
        _ = knocker_curl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        if let username = request.username { set(CURLOPT_USERNAME, username) }
        if let password = request.password { set(CURLOPT_PASSWORD, password) }
        if let caFile = request.caFile {
            // This file instead of the system store: no CA directory either.
            set(CURLOPT_CAINFO, caFile)
            _ = knocker_curl_easy_setopt_pointer(handle, CURLOPT_CAPATH, nil)
        }
        switch request.operation {
        case .post(let body, let headers):
            set(CURLOPT_PROTOCOLS_STR, "http,https")
            set(CURLOPT_FOLLOWLOCATION, 0)
            if let agent = request.userAgent { set(CURLOPT_USERAGENT, agent) }
            set(CURLOPT_POST, 1)
            set(CURLOPT_POSTFIELDSIZE, body.count)
            // COPYPOSTFIELDS copies `POSTFIELDSIZE` bytes; an empty body still needs a valid pointer.
            let bytes = body.isEmpty ? [UInt8(0)] : body
            bytes.withUnsafeBytes { buffer in
                _ = knocker_curl_easy_setopt_pointer(
                    handle,
                    CURLOPT_COPYPOSTFIELDS,
                    UnsafeMutableRawPointer(mutating: buffer.baseAddress)
                )
            }
            // "Expect:" turns off curl's 100-continue wait for bodies over 1 KiB.
            setList(CURLOPT_HTTPHEADER, headers + ["Expect:"])
            _ = knocker_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
            _ = knocker_curl_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION) { data, size, count, userdata in
                let total = size * count
                guard let userdata else { return 0 }
                let sink = Unmanaged<Sink>.fromOpaque(userdata).takeUnretainedValue()
                let room = sink.cap - sink.bytes.count
                let chunk = UnsafeRawBufferPointer(start: data, count: total)
                guard total <= room else {
                    sink.bytes.append(contentsOf: chunk.prefix(room))
                    sink.truncated = true
                    return 0
                }
                sink.bytes.append(contentsOf: chunk)
                return total
            }
        case .mail(let from, let recipients, let message, let tls):
            set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
            // Each SMTP reply (QUIT's included, which CURLOPT_TIMEOUT_MS does not bound) within the delivery timeout.
            set(CURLOPT_SERVER_RESPONSE_TIMEOUT, max(1, (request.timeoutMilliseconds + 999) / 1000))
            set(CURLOPT_MAIL_FROM, "<\(from)>")
            setList(CURLOPT_MAIL_RCPT, recipients.map { "<\($0)>" })
            switch tls {
            case .off: set(CURLOPT_USE_SSL, Int(CURLUSESSL_NONE.rawValue))
            case .optional: set(CURLOPT_USE_SSL, Int(CURLUSESSL_TRY.rawValue))
            case .required: set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
            }
            upload = Upload(bytes: message)
            set(CURLOPT_UPLOAD, 1)
            set(CURLOPT_INFILESIZE, message.count)
            // The read and header callbacks have the write callback's C signature, so its typed shim sets them.
            _ = knocker_curl_easy_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(upload).toOpaque())
            _ = knocker_curl_easy_setopt_write_function(handle, CURLOPT_READFUNCTION) { buffer, size, count, userdata in
                guard let buffer, let userdata else { return 0 }
                let upload = Unmanaged<Upload>.fromOpaque(userdata).takeUnretainedValue()
                let length = min(size * count, upload.bytes.count - upload.offset)
                guard length > 0 else { return 0 }
                upload.bytes.withUnsafeBytes { source in
                    guard let start = source.baseAddress else { return }
                    UnsafeMutableRawPointer(buffer).copyMemory(from: start + upload.offset, byteCount: length)
                }
                upload.offset += length
                return length
            }
            _ = knocker_curl_easy_setopt_pointer(
                handle,
                CURLOPT_HEADERDATA,
                Unmanaged.passUnretained(replies).toOpaque()
            )
            _ = knocker_curl_easy_setopt_write_function(handle, CURLOPT_HEADERFUNCTION) { data, size, count, userdata in
                let total = size * count
                guard let userdata else { return total }
                Unmanaged<Replies>.fromOpaque(userdata).takeUnretainedValue()
                    .add(UnsafeRawBufferPointer(start: data, count: total))
                return total
            }
        }
    }

    private func info(_ info: CURLINFO) -> Int {
        var value = 0
        return knocker_curl_easy_getinfo_long(handle, info, &value) == CURLE_OK ? value : 0
    }

    func result(_ code: CURLcode, isMail: Bool) -> Result<CurlTransferResponse, CurlTransferFailure> {
        let status = info(CURLINFO_RESPONSE_CODE)
        let response = CurlTransferResponse(
            code: status,
            body: sink.bytes,
            bodyTruncated: sink.truncated,
            replyLines: replies.lines
        )
        if code == CURLE_OK || (code == CURLE_WRITE_ERROR && sink.truncated) { return .success(response) }

        let detail = String(cString: errorBuffer)
        var message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let reason: CurlTransferFailure.Reason
        let serverRefused = code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_WEIRD_SERVER_REPLY
        switch code {
        case _ where isMail && serverRefused && status >= 400: reason = .rejected
        case CURLE_OPERATION_TIMEDOUT: reason = .timeout
        case CURLE_COULDNT_RESOLVE_HOST: reason = .dns
        case CURLE_COULDNT_CONNECT: reason = .connect
        case CURLE_USE_SSL_FAILED: reason = .startTLSUnavailable
        case CURLE_LOGIN_DENIED: reason = .login
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            reason = .certificate
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CIPHER: reason = .tls
        case CURLE_FAILED_INIT, CURLE_OUT_OF_MEMORY: reason = .setup
        default: reason = .other
        }
        // The connection is closed with QUIT ("221 Bye") even after a failure; the reply that matters came before.
        // A refusal is best described by that reply itself; a timeout or a TLS failure is not the server's answer
        // to anything (its last reply is STARTTLS's "220").
        if isMail, let last = replies.lines.last(where: { !$0.hasPrefix("221") }), !last.isEmpty {
            switch reason {
            case .rejected, .login: message = last
            case .timeout, .tls, .certificate, .startTLSUnavailable: break
            default: message += " (server said: \(last))"
            }
        }
        return .failure(CurlTransferFailure(reason: reason, message: message, code: status))
    }
}

@available(*, unavailable)
extension CurlTransferSession: Sendable {}
