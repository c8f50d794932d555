// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/socket_transport.cpp: a socket transport with native I/O
//
// EventLoop's stream transport (TCP and Unix sockets): the reactor watches the socket and
// calls straight into C++, which reads and calls the protocol; write() sends at once when
// nothing is queued. asyncio's transport does the same through a Python handle, a Python
// read callback and Python buffer bookkeeping per message. The behaviour is that of asyncio's
// _SelectorSocketTransport, step for step (flow control with high and low water marks,
// write_eof, close once the buffer has drained, abort, BufferedProtocol, errors to the
// loop's exception handler), so any asyncio protocol, streams and TLS run on it unchanged.
#include "socket_transport.hpp"

#include <nanobind/stl/string.h>

#include <sys/socket.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <vector>

#include "loop_core.hpp"

namespace fasterapi::futures::bindings {

namespace {

constexpr Py_ssize_t read_size = 256 * 1024;  // asyncio's max_size per read
constexpr std::size_t default_high_water = 64 * 1024;
constexpr int warn_after_lost_writes = 5;  // asyncio's LOG_THRESHOLD_FOR_CONNLOST_WRITES

// One read buffer for every transport: a read copies out of it before any Python runs.
char* shared_read_buffer() {
    static std::vector<char> buffer(static_cast<std::size_t>(read_size));
    return buffer.data();
}

bool would_block(int error) {
    return error == EAGAIN || error == EWOULDBLOCK || error == EINTR;
}

// The exception being raised, normalized and with its traceback, cleared (3.11's API).
nb::object take_error() {
    PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    if (traceback != nullptr && value != nullptr) PyException_SetTraceback(value, traceback);
    Py_XDECREF(type);
    Py_XDECREF(traceback);
    return nb::steal(value);
}

// Raise ERROR (from take_error) again.
[[noreturn]] void raise_again(nb::object error) {
    PyErr_Restore(Py_NewRef(reinterpret_cast<PyObject*>(Py_TYPE(error.ptr()))),
                  error.release().ptr(), nullptr);
    throw nb::python_error();
}

// SystemExit and KeyboardInterrupt leave the loop; every other exception is the transport's.
bool must_propagate() {
    return PyErr_ExceptionMatches(PyExc_SystemExit) ||
           PyErr_ExceptionMatches(PyExc_KeyboardInterrupt);
}

class socket_transport {
public:
    socket_transport(nb::object core, nb::object loop, nb::object sock, nb::object protocol,
                     nb::object extra, nb::object server)
        : core_object_(std::move(core)),
          core_(nb::cast<loop_core*>(core_object_)),
          loop_(std::move(loop)),
          sock_(std::move(sock)),
          extra_(std::move(extra)),
          server_(std::move(server)),
          fd_(nb::cast<int>(sock_.attr("fileno")())) {
        set_protocol(std::move(protocol));
    }

    // -- the asyncio.Transport methods -----------------------------------------------------

    void write(nb::handle data) {
        Py_buffer view;
        if (PyObject_GetBuffer(data.ptr(), &view, PyBUF_SIMPLE) < 0) {
            PyErr_Clear();
            throw nb::type_error(("data argument must be a bytes-like object, not '" +
                                  std::string(Py_TYPE(data.ptr())->tp_name) + "'")
                                     .c_str());
        }
        const std::string_view bytes(static_cast<const char*>(view.buf),
                                     static_cast<std::size_t>(view.len));
        try {
            write_bytes(bytes);
        } catch (...) {
            PyBuffer_Release(&view);
            throw;
        }
        PyBuffer_Release(&view);
    }

    void writelines(nb::iterable chunks) {
        for (nb::handle chunk : chunks) write(chunk);
    }

    void write_eof() {
        if (closing_ || eof_) return;
        eof_ = true;
        if (pending_size() == 0) ::shutdown(fd_, SHUT_WR);
    }

    void close() {
        if (closing_) return;
        closing_ = true;
        stop_reading();
        if (pending_size() == 0) {
            ++connections_lost_;
            stop_writing();
            call_soon_connection_lost(nb::none());
        }
    }

    void abort() { force_close(nb::none()); }

    [[nodiscard]] bool is_closing() const noexcept { return closing_; }

    void pause_reading() {
        if (closing_ || paused_) return;
        paused_ = true;
        stop_reading();
    }

    void resume_reading() {
        if (closing_ || !paused_) return;
        paused_ = false;
        start_reading();
    }

    [[nodiscard]] bool is_reading() const noexcept { return !paused_ && !closing_; }

    void set_protocol(nb::object protocol) {
        static PyObject* buffered = [] {
            return nb::object(nb::module_::import_("asyncio").attr("BufferedProtocol"))
                .release()
                .ptr();
        }();
        const int is_buffered = PyObject_IsInstance(protocol.ptr(), buffered);
        if (is_buffered < 0) throw nb::python_error();
        buffered_ = is_buffered == 1;
        protocol_ = std::move(protocol);
    }

    [[nodiscard]] nb::object get_protocol() const { return protocol_; }

    [[nodiscard]] nb::object get_extra_info(nb::handle name, nb::handle fallback) const {
        PyObject* found = PyDict_GetItemWithError(extra_.ptr(), name.ptr());
        if (found == nullptr && PyErr_Occurred()) throw nb::python_error();
        return nb::borrow(found != nullptr ? found : fallback.ptr());
    }

    void set_write_buffer_limits(nb::handle high, nb::handle low) {
        Py_ssize_t high_water = 0;
        Py_ssize_t low_water = 0;
        if (high.is_none()) {
            high_water = low.is_none() ? static_cast<Py_ssize_t>(default_high_water)
                                       : 4 * nb::cast<Py_ssize_t>(low);
        } else {
            high_water = nb::cast<Py_ssize_t>(high);
        }
        low_water = low.is_none() ? high_water / 4 : nb::cast<Py_ssize_t>(low);
        if (!(high_water >= low_water && low_water >= 0)) {
            throw nb::value_error(("high (" + std::to_string(high_water) + ") must be >= low (" +
                                   std::to_string(low_water) + ") must be >= 0")
                                      .c_str());
        }
        high_water_ = static_cast<std::size_t>(high_water);
        low_water_ = static_cast<std::size_t>(low_water);
        maybe_pause_protocol();
    }

    [[nodiscard]] std::size_t get_write_buffer_size() const noexcept { return pending_size(); }

    [[nodiscard]] nb::tuple get_write_buffer_limits() const {
        return nb::make_tuple(low_water_, high_water_);
    }

    // Scheduled by the loop right after protocol.connection_made (asyncio's order).
    void start_reading() {
        if (!is_reading() || reading_) return;
        check_loop_open();
        reading_ = true;
        core_->io().watch_readable(fd_, [self = self_reference(), this] {
            static_cast<void>(self);  // the watcher keeps the transport alive while it watches
            on_readable();
        });
    }

    void call_connection_lost(nb::handle error) {
        // Whatever the protocol does, the socket is closed and the cycles are broken.
        nb::object protocol = std::exchange(protocol_, nb::none());
        nb::object failed;
        const auto attempt = [&failed](PyObject* result) {
            if (result == nullptr) {
                nb::object error = take_error();
                if (!failed.is_valid()) failed = std::move(error);
            }
            Py_XDECREF(result);
        };
        if (!protocol.is_none()) {
            attempt(PyObject_CallMethodOneArg(protocol.ptr(), nb::str("connection_lost").ptr(),
                                              error.ptr()));
        }
        if (!sock_.is_none()) {
            nb::object sock = std::exchange(sock_, nb::none());
            attempt(PyObject_CallMethodNoArgs(sock.ptr(), nb::str("close").ptr()));
        }
        if (!server_.is_none()) {
            nb::object server = std::exchange(server_, nb::none());
            attempt(PyObject_CallMethodNoArgs(server.ptr(), nb::str("_detach").ptr()));
        }
        if (failed.is_valid()) raise_again(std::move(failed));
    }

    [[nodiscard]] std::string repr() const {
        std::string text = "<SocketTransport fd=" + std::to_string(fd_);
        if (closing_) text += " closing";
        text += reading_ ? " read=polling" : " read=idle";
        text += " write=<" + std::string(writing_ ? "polling" : "idle") +
                ", bufsize=" + std::to_string(pending_size()) + ">>";
        return text;
    }

    static int traverse(PyObject* self, visitproc visit, void* arg) {
        Py_VISIT(Py_TYPE(self));
        if (!nb::inst_ready(self)) return 0;
        const socket_transport* transport = nb::inst_ptr<socket_transport>(self);
        Py_VISIT(transport->loop_.ptr());
        Py_VISIT(transport->protocol_.ptr());
        Py_VISIT(transport->sock_.ptr());
        Py_VISIT(transport->extra_.ptr());
        Py_VISIT(transport->server_.ptr());
        return 0;
    }

    static int clear(PyObject* self) {
        socket_transport* transport = nb::inst_ptr<socket_transport>(self);
        transport->protocol_ = nb::none();
        transport->extra_ = nb::dict();
        transport->server_ = nb::none();
        return 0;
    }

private:
    [[nodiscard]] std::size_t pending_size() const noexcept {
        return pending_.size() - pending_sent_;
    }

    nb::object self_reference() { return nb::find(this); }

    void check_loop_open() const {
        if (core_->closed()) throw std::runtime_error("Event loop is closed");
    }

    void stop_reading() {
        if (!reading_) return;
        reading_ = false;
        core_->io().unwatch_readable(fd_);
    }

    void start_writing() {
        if (writing_) return;
        check_loop_open();
        writing_ = true;
        core_->io().watch_writable(fd_, [self = self_reference(), this] {
            static_cast<void>(self);
            on_writable();
        });
    }

    void stop_writing() {
        if (!writing_) return;
        writing_ = false;
        core_->io().unwatch_writable(fd_);
    }

    void write_bytes(std::string_view data) {
        if (eof_) throw std::runtime_error("Cannot call write() after write_eof()");
        if (data.empty()) return;
        if (connections_lost_ != 0) {
            if (connections_lost_ >= warn_after_lost_writes) {
                nb::module_::import_("asyncio.log")
                    .attr("logger")
                    .attr("warning")("socket.send() raised exception.");
            }
            ++connections_lost_;
            return;
        }
        if (pending_size() == 0) {
            const ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (sent < 0 && !would_block(errno)) {
                fatal_error(os_error(errno), "Fatal write error on socket transport");
                return;
            }
            if (sent > 0) data.remove_prefix(static_cast<std::size_t>(sent));
            if (data.empty()) return;
            start_writing();
        }
        pending_.append(data);
        maybe_pause_protocol();
    }

    void on_readable() {
        if (connections_lost_ != 0) return;
        if (buffered_) {
            read_into_protocol_buffer();
            return;
        }
        const ssize_t received = ::recv(fd_, shared_read_buffer(), read_size, 0);
        if (read_ended(received, errno)) return;
        nb::object data = nb::steal(PyBytes_FromStringAndSize(shared_read_buffer(), received));
        if (!data.is_valid()) throw nb::python_error();
        static PyObject* name = PyUnicode_InternFromString("data_received");
        call_protocol(name, data.ptr(), "Fatal error: protocol.data_received() call failed.");
    }

    // A BufferedProtocol (asyncio's TLS layer is one): read into the buffer it hands out.
    void read_into_protocol_buffer() {
        static PyObject* get_buffer = PyUnicode_InternFromString("get_buffer");
        static PyObject* buffer_updated = PyUnicode_InternFromString("buffer_updated");
        nb::object size = nb::int_(-1);
        nb::object buffer =
            nb::steal(PyObject_CallMethodOneArg(protocol_.ptr(), get_buffer, size.ptr()));
        if (!buffer.is_valid()) {
            protocol_failed("Fatal error: protocol.get_buffer() call failed.");
            return;
        }
        Py_buffer view;
        if (PyObject_GetBuffer(buffer.ptr(), &view, PyBUF_WRITABLE) < 0) {
            protocol_failed("Fatal error: protocol.get_buffer() call failed.");
            return;
        }
        if (view.len == 0) {
            PyBuffer_Release(&view);
            PyErr_SetString(PyExc_RuntimeError, "get_buffer() returned an empty buffer");
            protocol_failed("Fatal error: protocol.get_buffer() call failed.");
            return;
        }
        const ssize_t received = ::recv(fd_, view.buf, static_cast<std::size_t>(view.len), 0);
        const int error = errno;
        PyBuffer_Release(&view);
        if (read_ended(received, error)) return;
        nb::object count = nb::int_(received);
        call_protocol(buffer_updated, count.ptr(),
                      "Fatal error: protocol.buffer_updated() call failed.");
    }

    // Deal with a recv() that returned no data (RECEIVED <= 0, ERROR its errno); true then.
    bool read_ended(ssize_t received, int error) {
        if (received > 0) return false;
        if (received == 0) {
            on_end_of_file();
        } else if (!would_block(error)) {
            fatal_error(os_error(error), "Fatal read error on socket transport");
        }
        return true;
    }

    void on_end_of_file() {
        static PyObject* name = PyUnicode_InternFromString("eof_received");
        PyObject* keep_open = PyObject_CallMethodNoArgs(protocol_.ptr(), name);
        if (keep_open == nullptr) {
            protocol_failed("Fatal error: protocol.eof_received() call failed.");
            return;
        }
        const int truthy = PyObject_IsTrue(keep_open);
        Py_DECREF(keep_open);
        if (truthy < 0) throw nb::python_error();
        if (truthy == 1) {
            stop_reading();  // the protocol may still write; there is nothing more to read
        } else {
            close();
        }
    }

    void on_writable() {
        if (pending_size() == 0) {
            stop_writing();
            return;
        }
        const ssize_t sent =
            ::send(fd_, pending_.data() + pending_sent_, pending_size(), MSG_NOSIGNAL);
        if (sent < 0) {
            if (would_block(errno)) return;
            const int error = errno;
            stop_writing();
            pending_.clear();
            pending_sent_ = 0;
            fatal_error(os_error(error), "Fatal write error on socket transport");
            return;
        }
        pending_sent_ += static_cast<std::size_t>(sent);
        if (pending_size() == 0) {
            pending_.clear();
            pending_sent_ = 0;
        } else if (pending_sent_ >= pending_.size() / 2) {
            pending_.erase(0, pending_sent_);  // keep the copy cost linear
            pending_sent_ = 0;
        }
        maybe_resume_protocol();
        if (pending_size() != 0) return;
        stop_writing();
        if (closing_) {
            ++connections_lost_;  // an abort() before the call below must not report it again
            call_soon_connection_lost(nb::none());
        } else if (eof_) {
            ::shutdown(fd_, SHUT_WR);
        }
    }

    // Call protocol.NAME(ARGUMENT); a failure is the transport's fatal error.
    void call_protocol(PyObject* name, PyObject* argument, const char* message) {
        PyObject* result = PyObject_CallMethodOneArg(protocol_.ptr(), name, argument);
        if (result == nullptr) {
            protocol_failed(message);
            return;
        }
        Py_DECREF(result);
    }

    void protocol_failed(const char* message) {
        if (must_propagate()) throw nb::python_error();
        fatal_error(take_error(), message);
    }

    static nb::object os_error(int error) {
        errno = error;
        PyErr_SetFromErrno(PyExc_OSError);
        return take_error();
    }

    void fatal_error(nb::handle error, const char* message) {
        const int is_os_error = PyObject_IsInstance(error.ptr(), PyExc_OSError);
        if (is_os_error == 0 && !loop_.is_none()) report(message, error);
        force_close(error);
    }

    void force_close(nb::handle error) {
        if (connections_lost_ != 0) return;
        if (pending_size() != 0) {
            pending_.clear();
            pending_sent_ = 0;
            stop_writing();
        }
        if (!closing_) {
            closing_ = true;
            stop_reading();
        }
        ++connections_lost_;
        call_soon_connection_lost(error);
    }

    void call_soon_connection_lost(nb::handle error) {
        loop_.attr("call_soon")(self_reference().attr("_call_connection_lost"), error);
    }

    void maybe_pause_protocol() {
        if (pending_size() <= high_water_ || protocol_paused_) return;
        protocol_paused_ = true;
        notify_flow_control("pause_writing", "protocol.pause_writing() failed");
    }

    void maybe_resume_protocol() {
        if (!protocol_paused_ || pending_size() > low_water_) return;
        protocol_paused_ = false;
        notify_flow_control("resume_writing", "protocol.resume_writing() failed");
    }

    void notify_flow_control(const char* method, const char* message) {
        PyObject* result = PyObject_CallMethod(protocol_.ptr(), method, nullptr);
        if (result != nullptr) {
            Py_DECREF(result);
            return;
        }
        if (must_propagate()) throw nb::python_error();
        report(message, take_error());
    }

    // To the loop's exception handler, with the context asyncio's transports give it.
    void report(const char* message, nb::handle error) {
        nb::dict context;
        context["message"] = message;
        context["exception"] = error;
        context["transport"] = self_reference();
        context["protocol"] = protocol_;
        loop_.attr("call_exception_handler")(context);
    }

    nb::object core_object_;  // keeps the core (and its reactor) alive
    loop_core* core_;
    nb::object loop_;
    nb::object sock_;
    nb::object protocol_ = nb::none();
    nb::object extra_;
    nb::object server_;
    int fd_;
    std::string pending_;  // bytes write() could not send yet, from pending_sent_ on
    std::size_t pending_sent_ = 0;
    std::size_t high_water_ = default_high_water;
    std::size_t low_water_ = default_high_water / 4;
    int connections_lost_ = 0;
    bool buffered_ = false;
    bool closing_ = false;
    bool eof_ = false;
    bool paused_ = false;
    bool protocol_paused_ = false;
    bool reading_ = false;  // a read watcher is registered
    bool writing_ = false;  // a write watcher is registered
};

PyType_Slot transport_slots[] = {
    {Py_tp_traverse, reinterpret_cast<void*>(socket_transport::traverse)},
    {Py_tp_clear, reinterpret_cast<void*>(socket_transport::clear)},
    {0, nullptr},
};

}  // namespace

void bind_socket_transport(nb::module_& m) {
    nb::class_<socket_transport>(
        m, "SocketTransport", nb::type_slots(transport_slots), nb::is_weak_referenceable(),
        "A stream socket transport whose reads and writes run in C++ (EventLoop makes them).")
        .def(nb::init<nb::object, nb::object, nb::object, nb::object, nb::object, nb::object>(),
             nb::arg("core"), nb::arg("loop"), nb::arg("sock"), nb::arg("protocol"),
             nb::arg("extra"), nb::arg("server").none(),
             nb::sig("def __init__(self, core: LoopCore, loop: asyncio.AbstractEventLoop, "
                     "sock: socket.socket, protocol: asyncio.BaseProtocol, "
                     "extra: dict[str, typing.Any], server: asyncio.Server | None) -> None"))
        .def("write", &socket_transport::write, nb::arg("data"),
             nb::sig("def write(self, data: bytes | bytearray | memoryview, /) -> None"))
        .def("writelines", &socket_transport::writelines, nb::arg("list_of_data"),
             nb::sig("def writelines(self, list_of_data: collections.abc.Iterable[bytes | "
                     "bytearray | memoryview], /) -> None"))
        .def("write_eof", &socket_transport::write_eof)
        .def("can_write_eof", [](const socket_transport&) { return true; })
        .def("close", &socket_transport::close)
        .def("abort", &socket_transport::abort)
        .def("is_closing", &socket_transport::is_closing)
        .def("pause_reading", &socket_transport::pause_reading)
        .def("resume_reading", &socket_transport::resume_reading)
        .def("is_reading", &socket_transport::is_reading)
        .def("set_protocol", &socket_transport::set_protocol, nb::arg("protocol"),
             nb::sig("def set_protocol(self, protocol: asyncio.BaseProtocol, /) -> None"))
        .def("get_protocol", &socket_transport::get_protocol,
             nb::sig("def get_protocol(self) -> asyncio.BaseProtocol"))
        .def("get_extra_info", &socket_transport::get_extra_info, nb::arg("name"),
             nb::arg("default").none() = nb::none(),
             nb::sig("def get_extra_info(self, name: str, default: typing.Any = None) -> "
                     "typing.Any"))
        .def("set_write_buffer_limits", &socket_transport::set_write_buffer_limits,
             nb::arg("high").none() = nb::none(), nb::arg("low").none() = nb::none(),
             nb::sig("def set_write_buffer_limits(self, high: int | None = None, "
                     "low: int | None = None) -> None"))
        .def("get_write_buffer_size", &socket_transport::get_write_buffer_size)
        .def("get_write_buffer_limits", &socket_transport::get_write_buffer_limits,
             nb::sig("def get_write_buffer_limits(self) -> tuple[int, int]"))
        .def("_start_reading", &socket_transport::start_reading)
        .def("_call_connection_lost", &socket_transport::call_connection_lost,
             nb::arg("exc").none(),
             nb::sig("def _call_connection_lost(self, exc: BaseException | None, /) -> None"))
        .def("__repr__", &socket_transport::repr)
        // loop.start_tls() layers asyncio's TLS protocol over transports that say they take
        // it (pause_reading, set_protocol and resume_reading are all it needs).
        .attr("_start_tls_compatible") = true;
}

}  // namespace fasterapi::futures::bindings
