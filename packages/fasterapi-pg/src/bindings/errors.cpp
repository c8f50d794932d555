// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/errors.cpp: C++ PostgreSQL errors -> fasterapi_pg.errors
#include <nanobind/stl/string.h>
#include <fasterapi/pg/errors.hpp>

#include "bindings/bindings.hpp"

namespace fasterapi::pg::bindings {

namespace {

nb::object errors_module() {
    return nb::module_::import_("fasterapi_pg.errors");
}

void raise_as(const char* class_name, const char* message) {
    PyErr_SetString(errors_module().attr(class_name).ptr(), message);
}

// A server error becomes the class generated for its SQLSTATE, carrying every field.
void raise_server_error(const server_error& error) {
    const server_error_fields& f = error.fields();
    nb::dict fields;
    fields["sqlstate"] = f.sqlstate;
    fields["severity"] = f.severity;
    fields["message"] = f.message;
    fields["detail"] = f.detail;
    fields["hint"] = f.hint;
    fields["position"] = f.position;
    fields["schema_name"] = f.schema;
    fields["table_name"] = f.table;
    fields["column_name"] = f.column;
    fields["data_type_name"] = f.datatype;
    fields["constraint_name"] = f.constraint;
    nb::object exception = errors_module().attr("_from_fields")(fields);
    PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exception.ptr())), exception.ptr());
}

}  // namespace

void bind_errors(nb::module_&) {
    nb::register_exception_translator([](const std::exception_ptr& error, void*) {
        try {
            std::rethrow_exception(error);
        } catch (const server_error& e) {
            raise_server_error(e);
        } catch (const connection_error& e) {
            raise_as("ConnectionFailureError", e.what());
        } catch (const timeout_error& e) {
            raise_as("QueryTimeoutError", e.what());
        } catch (const interface_error& e) {
            raise_as("InterfaceError", e.what());
        } catch (const pg_error& e) {
            raise_as("Error", e.what());
        }
    });
}

}  // namespace fasterapi::pg::bindings
