// SPDX-License-Identifier: MIT
// fasterapi-pg/include/fasterapi/pg/errors.hpp: the exceptions the PostgreSQL core throws
#pragma once

#include <stdexcept>
#include <string>

namespace fasterapi::pg {

/// Base of every error of the PostgreSQL core. Each leaf maps to exactly one Python class.
class pg_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The connection could not be made, or was lost (the message names the query that was running).
class connection_error : public pg_error {
public:
    using pg_error::pg_error;
};

/// The caller asked for something the driver cannot do (e.g. a value it cannot encode).
class interface_error : public pg_error {
public:
    using pg_error::pg_error;
};

/// A call ran past its timeout: the server was asked to cancel the query and did; the
/// connection is usable again (a transaction in progress is aborted, as on any error).
class timeout_error : public pg_error {
public:
    using pg_error::pg_error;
};

/// The fields of an error the server reported (PQresultErrorField).
struct server_error_fields {
    std::string sqlstate;
    std::string severity;
    std::string message;
    std::string detail;
    std::string hint;
    std::string position;
    std::string schema;
    std::string table;
    std::string column;
    std::string datatype;
    std::string constraint;
};

/// The server answered a command with an error.
class server_error : public pg_error {
public:
    explicit server_error(server_error_fields fields)
        : pg_error(fields.message), _fields(std::move(fields)) {}
    [[nodiscard]] const server_error_fields& fields() const noexcept { return _fields; }

private:
    server_error_fields _fields;
};

}  // namespace fasterapi::pg
