# SPDX-License-Identifier: MIT
# GENERATED FROM PostgreSQL's errcodes.txt. DO NOT MODIFY, use ci/gen_pg_errors.py
"""One exception class per SQLSTATE (generated)."""

from ._errors_base import (
    DataError,
    IntegrityError,
    InternalError,
    NotSupportedError,
    OperationalError,
    PostgresError,
    ProgrammingError,
)

__all__ = [
    "ActiveSqlTransactionError",
    "AdminShutdownError",
    "AmbiguousAliasError",
    "AmbiguousColumnError",
    "AmbiguousFunctionError",
    "AmbiguousParameterError",
    "ArraySubscriptError",
    "AssertError",
    "BadCopyFileFormatError",
    "BranchTransactionAlreadyActiveError",
    "CannotCoerceError",
    "CannotConnectNowError",
    "CantChangeRuntimeParamError",
    "CardinalityViolationError",
    "CaseNotFoundError",
    "CharacterNotInRepertoireError",
    "CheckViolationError",
    "CollationMismatchError",
    "ConfigFileError",
    "ConfigurationLimitExceededError",
    "ConnectionDoesNotExistError",
    "ConnectionExceptionError",
    "ContainingSqlNotPermittedError",
    "CrashShutdownError",
    "DataCorruptedError",
    "DataExceptionError",
    "DatabaseDroppedError",
    "DatatypeMismatchError",
    "DatetimeFieldOverflowError",
    "DeadlockDetectedError",
    "DependentObjectsStillExistError",
    "DependentPrivilegeDescriptorsStillExistError",
    "DiagnosticsExceptionError",
    "DiskFullError",
    "DivisionByZeroError",
    "DuplicateAliasError",
    "DuplicateColumnError",
    "DuplicateCursorError",
    "DuplicateDatabaseError",
    "DuplicateFileError",
    "DuplicateFunctionError",
    "DuplicateJsonObjectKeyValueError",
    "DuplicateObjectError",
    "DuplicatePreparedStatementError",
    "DuplicateSchemaError",
    "DuplicateTableError",
    "ErrorInAssignmentError",
    "EscapeCharacterConflictError",
    "EventTriggerProtocolViolatedError",
    "ExclusionViolationError",
    "ExternalRoutineExceptionError",
    "ExternalRoutineInvocationExceptionError",
    "FdwColumnNameNotFoundError",
    "FdwDynamicParameterValueNeededError",
    "FdwError",
    "FdwFunctionSequenceError",
    "FdwInconsistentDescriptorInformationError",
    "FdwInvalidAttributeValueError",
    "FdwInvalidColumnNameError",
    "FdwInvalidColumnNumberError",
    "FdwInvalidDataTypeDescriptorsError",
    "FdwInvalidDataTypeError",
    "FdwInvalidDescriptorFieldIdentifierError",
    "FdwInvalidHandleError",
    "FdwInvalidOptionIndexError",
    "FdwInvalidOptionNameError",
    "FdwInvalidStringFormatError",
    "FdwInvalidStringLengthOrBufferLengthError",
    "FdwInvalidUseOfNullPointerError",
    "FdwNoSchemasError",
    "FdwOptionNameNotFoundError",
    "FdwOutOfMemoryError",
    "FdwReplyHandleError",
    "FdwSchemaNotFoundError",
    "FdwTableNotFoundError",
    "FdwTooManyHandlesError",
    "FdwUnableToCreateExecutionError",
    "FdwUnableToCreateReplyError",
    "FdwUnableToEstablishConnectionError",
    "FeatureNotSupportedError",
    "FloatingPointExceptionError",
    "ForeignKeyViolationError",
    "FunctionExecutedNoReturnStatementError",
    "GeneratedAlwaysError",
    "GroupingError",
    "HeldCursorRequiresSameIsolationLevelError",
    "IdleInTransactionSessionTimeoutError",
    "IdleSessionTimeoutError",
    "InFailedSqlTransactionError",
    "InappropriateAccessModeForBranchTransactionError",
    "InappropriateIsolationLevelForBranchTransactionError",
    "IndeterminateCollationError",
    "IndeterminateDatatypeError",
    "IndexCorruptedError",
    "IndicatorOverflowError",
    "InsufficientPrivilegeError",
    "InsufficientResourcesError",
    "IntegrityConstraintViolationError",
    "IntervalFieldOverflowError",
    "InvalidArgumentForLogarithmError",
    "InvalidArgumentForNthValueFunctionError",
    "InvalidArgumentForNtileFunctionError",
    "InvalidArgumentForPowerFunctionError",
    "InvalidArgumentForSqlJsonDatetimeFunctionError",
    "InvalidArgumentForWidthBucketFunctionError",
    "InvalidAuthorizationSpecificationError",
    "InvalidBinaryRepresentationError",
    "InvalidCatalogNameError",
    "InvalidCharacterValueForCastError",
    "InvalidColumnDefinitionError",
    "InvalidColumnReferenceError",
    "InvalidCursorDefinitionError",
    "InvalidCursorNameError",
    "InvalidCursorStateError",
    "InvalidDatabaseDefinitionError",
    "InvalidDatetimeFormatError",
    "InvalidEscapeCharacterError",
    "InvalidEscapeOctetError",
    "InvalidEscapeSequenceError",
    "InvalidForeignKeyError",
    "InvalidFunctionDefinitionError",
    "InvalidGrantOperationError",
    "InvalidGrantorError",
    "InvalidIndicatorParameterValueError",
    "InvalidJsonTextError",
    "InvalidLocatorSpecificationError",
    "InvalidNameError",
    "InvalidObjectDefinitionError",
    "InvalidParameterValueError",
    "InvalidPasswordError",
    "InvalidPrecedingOrFollowingSizeError",
    "InvalidPreparedStatementDefinitionError",
    "InvalidRecursionError",
    "InvalidRegularExpressionError",
    "InvalidRoleSpecificationError",
    "InvalidRowCountInLimitClauseError",
    "InvalidRowCountInResultOffsetClauseError",
    "InvalidSavepointSpecificationError",
    "InvalidSchemaDefinitionError",
    "InvalidSchemaNameError",
    "InvalidSqlJsonSubscriptError",
    "InvalidSqlStatementNameError",
    "InvalidSqlstateReturnedError",
    "InvalidTableDefinitionError",
    "InvalidTablesampleArgumentError",
    "InvalidTablesampleRepeatError",
    "InvalidTextRepresentationError",
    "InvalidTimeZoneDisplacementValueError",
    "InvalidTransactionInitiationError",
    "InvalidTransactionStateError",
    "InvalidTransactionTerminationError",
    "InvalidUseOfEscapeCharacterError",
    "InvalidXmlCommentError",
    "InvalidXmlContentError",
    "InvalidXmlDocumentError",
    "InvalidXmlProcessingInstructionError",
    "IoError",
    "LocatorExceptionError",
    "LockFileExistsError",
    "LockNotAvailableError",
    "ModifyingSqlDataNotPermitted38002Error",
    "ModifyingSqlDataNotPermittedError",
    "MoreThanOneSqlJsonItemError",
    "MostSpecificTypeMismatchError",
    "NameTooLongError",
    "NoActiveSqlTransactionError",
    "NoActiveSqlTransactionForBranchTransactionError",
    "NoDataFoundError",
    "NoSqlJsonItemError",
    "NonNumericSqlJsonItemError",
    "NonUniqueKeysInAJsonObjectError",
    "NonstandardUseOfEscapeCharacterError",
    "NotAnXmlDocumentError",
    "NotNullViolationError",
    "NullValueNoIndicatorParameterError",
    "NullValueNotAllowed39004Error",
    "NullValueNotAllowedError",
    "NumericValueOutOfRangeError",
    "ObjectInUseError",
    "ObjectNotInPrerequisiteStateError",
    "OperatorInterventionError",
    "OutOfMemoryError",
    "PlpgsqlError",
    "PostgresConnectionError",
    "PostgresInternalError",
    "PostgresSyntaxError",
    "PostgresSystemError",
    "ProgramLimitExceededError",
    "ProhibitedSqlStatementAttempted38003Error",
    "ProhibitedSqlStatementAttemptedError",
    "ProtocolViolationError",
    "QueryCanceledError",
    "RaiseExceptionError",
    "ReadOnlySqlTransactionError",
    "ReadingSqlDataNotPermitted38004Error",
    "ReadingSqlDataNotPermittedError",
    "ReservedNameError",
    "RestrictViolationError",
    "SavepointExceptionError",
    "SchemaAndDataStatementMixingNotSupportedError",
    "SequenceGeneratorLimitExceededError",
    "SerializationError",
    "SingletonSqlJsonItemRequiredError",
    "SnapshotTooOldError",
    "SqlJsonArrayNotFoundError",
    "SqlJsonItemCannotBeCastToTargetTypeError",
    "SqlJsonMemberNotFoundError",
    "SqlJsonNumberNotFoundError",
    "SqlJsonObjectNotFoundError",
    "SqlJsonScalarRequiredError",
    "SqlRoutineExceptionError",
    "SqlStatementNotYetCompleteError",
    "SqlclientUnableToEstablishSqlconnectionError",
    "SqlserverRejectedEstablishmentOfSqlconnectionError",
    "SrfProtocolViolatedError",
    "StackedDiagnosticsAccessedWithoutActiveHandlerError",
    "StatementCompletionUnknownError",
    "StatementTooComplexError",
    "StringDataLengthMismatchError",
    "StringDataRightTruncationError",
    "SubstringError",
    "SyntaxErrorOrAccessRuleViolationError",
    "TooManyArgumentsError",
    "TooManyColumnsError",
    "TooManyConnectionsError",
    "TooManyJsonArrayElementsError",
    "TooManyJsonObjectMembersError",
    "TooManyRowsError",
    "TransactionIntegrityConstraintViolationError",
    "TransactionResolutionUnknownError",
    "TransactionRollbackError",
    "TriggerProtocolViolatedError",
    "TriggeredActionExceptionError",
    "TriggeredDataChangeViolationError",
    "TrimError",
    "UndefinedColumnError",
    "UndefinedFileError",
    "UndefinedFunctionError",
    "UndefinedObjectError",
    "UndefinedParameterError",
    "UndefinedTableError",
    "UniqueViolationError",
    "UnsafeNewEnumValueUsageError",
    "UnterminatedCStringError",
    "UntranslatableCharacterError",
    "WindowingError",
    "WithCheckOptionViolationError",
    "WrongObjectTypeError",
    "ZeroLengthCharacterStringError",
]


class SqlStatementNotYetCompleteError(PostgresError):
    """SQLSTATE 03000: sql_statement_not_yet_complete."""

    sqlstate = "03000"
    __module__ = "fasterapi_pg"


class ConnectionExceptionError(PostgresError, OperationalError):
    """SQLSTATE 08000: connection_exception."""

    sqlstate = "08000"
    __module__ = "fasterapi_pg"


class ConnectionDoesNotExistError(ConnectionExceptionError):
    """SQLSTATE 08003: connection_does_not_exist."""

    sqlstate = "08003"
    __module__ = "fasterapi_pg"


class PostgresConnectionError(ConnectionExceptionError):
    """SQLSTATE 08006: connection_failure."""

    sqlstate = "08006"
    __module__ = "fasterapi_pg"


class SqlclientUnableToEstablishSqlconnectionError(ConnectionExceptionError):
    """SQLSTATE 08001: sqlclient_unable_to_establish_sqlconnection."""

    sqlstate = "08001"
    __module__ = "fasterapi_pg"


class SqlserverRejectedEstablishmentOfSqlconnectionError(ConnectionExceptionError):
    """SQLSTATE 08004: sqlserver_rejected_establishment_of_sqlconnection."""

    sqlstate = "08004"
    __module__ = "fasterapi_pg"


class TransactionResolutionUnknownError(ConnectionExceptionError):
    """SQLSTATE 08007: transaction_resolution_unknown."""

    sqlstate = "08007"
    __module__ = "fasterapi_pg"


class ProtocolViolationError(ConnectionExceptionError):
    """SQLSTATE 08P01: protocol_violation."""

    sqlstate = "08P01"
    __module__ = "fasterapi_pg"


class TriggeredActionExceptionError(PostgresError):
    """SQLSTATE 09000: triggered_action_exception."""

    sqlstate = "09000"
    __module__ = "fasterapi_pg"


class FeatureNotSupportedError(PostgresError, NotSupportedError):
    """SQLSTATE 0A000: feature_not_supported."""

    sqlstate = "0A000"
    __module__ = "fasterapi_pg"


class InvalidTransactionInitiationError(PostgresError):
    """SQLSTATE 0B000: invalid_transaction_initiation."""

    sqlstate = "0B000"
    __module__ = "fasterapi_pg"


class LocatorExceptionError(PostgresError):
    """SQLSTATE 0F000: locator_exception."""

    sqlstate = "0F000"
    __module__ = "fasterapi_pg"


class InvalidLocatorSpecificationError(LocatorExceptionError):
    """SQLSTATE 0F001: invalid_locator_specification."""

    sqlstate = "0F001"
    __module__ = "fasterapi_pg"


class InvalidGrantorError(PostgresError):
    """SQLSTATE 0L000: invalid_grantor."""

    sqlstate = "0L000"
    __module__ = "fasterapi_pg"


class InvalidGrantOperationError(InvalidGrantorError):
    """SQLSTATE 0LP01: invalid_grant_operation."""

    sqlstate = "0LP01"
    __module__ = "fasterapi_pg"


class InvalidRoleSpecificationError(PostgresError):
    """SQLSTATE 0P000: invalid_role_specification."""

    sqlstate = "0P000"
    __module__ = "fasterapi_pg"


class DiagnosticsExceptionError(PostgresError):
    """SQLSTATE 0Z000: diagnostics_exception."""

    sqlstate = "0Z000"
    __module__ = "fasterapi_pg"


class StackedDiagnosticsAccessedWithoutActiveHandlerError(DiagnosticsExceptionError):
    """SQLSTATE 0Z002: stacked_diagnostics_accessed_without_active_handler."""

    sqlstate = "0Z002"
    __module__ = "fasterapi_pg"


class CaseNotFoundError(PostgresError):
    """SQLSTATE 20000: case_not_found."""

    sqlstate = "20000"
    __module__ = "fasterapi_pg"


class CardinalityViolationError(PostgresError):
    """SQLSTATE 21000: cardinality_violation."""

    sqlstate = "21000"
    __module__ = "fasterapi_pg"


class DataExceptionError(PostgresError, DataError):
    """SQLSTATE 22000: data_exception."""

    sqlstate = "22000"
    __module__ = "fasterapi_pg"


class ArraySubscriptError(DataExceptionError):
    """SQLSTATE 2202E: array_subscript_error."""

    sqlstate = "2202E"
    __module__ = "fasterapi_pg"


class CharacterNotInRepertoireError(DataExceptionError):
    """SQLSTATE 22021: character_not_in_repertoire."""

    sqlstate = "22021"
    __module__ = "fasterapi_pg"


class DatetimeFieldOverflowError(DataExceptionError):
    """SQLSTATE 22008: datetime_field_overflow."""

    sqlstate = "22008"
    __module__ = "fasterapi_pg"


class DivisionByZeroError(DataExceptionError):
    """SQLSTATE 22012: division_by_zero."""

    sqlstate = "22012"
    __module__ = "fasterapi_pg"


class ErrorInAssignmentError(DataExceptionError):
    """SQLSTATE 22005: error_in_assignment."""

    sqlstate = "22005"
    __module__ = "fasterapi_pg"


class EscapeCharacterConflictError(DataExceptionError):
    """SQLSTATE 2200B: escape_character_conflict."""

    sqlstate = "2200B"
    __module__ = "fasterapi_pg"


class IndicatorOverflowError(DataExceptionError):
    """SQLSTATE 22022: indicator_overflow."""

    sqlstate = "22022"
    __module__ = "fasterapi_pg"


class IntervalFieldOverflowError(DataExceptionError):
    """SQLSTATE 22015: interval_field_overflow."""

    sqlstate = "22015"
    __module__ = "fasterapi_pg"


class InvalidArgumentForLogarithmError(DataExceptionError):
    """SQLSTATE 2201E: invalid_argument_for_logarithm."""

    sqlstate = "2201E"
    __module__ = "fasterapi_pg"


class InvalidArgumentForNtileFunctionError(DataExceptionError):
    """SQLSTATE 22014: invalid_argument_for_ntile_function."""

    sqlstate = "22014"
    __module__ = "fasterapi_pg"


class InvalidArgumentForNthValueFunctionError(DataExceptionError):
    """SQLSTATE 22016: invalid_argument_for_nth_value_function."""

    sqlstate = "22016"
    __module__ = "fasterapi_pg"


class InvalidArgumentForPowerFunctionError(DataExceptionError):
    """SQLSTATE 2201F: invalid_argument_for_power_function."""

    sqlstate = "2201F"
    __module__ = "fasterapi_pg"


class InvalidArgumentForWidthBucketFunctionError(DataExceptionError):
    """SQLSTATE 2201G: invalid_argument_for_width_bucket_function."""

    sqlstate = "2201G"
    __module__ = "fasterapi_pg"


class InvalidCharacterValueForCastError(DataExceptionError):
    """SQLSTATE 22018: invalid_character_value_for_cast."""

    sqlstate = "22018"
    __module__ = "fasterapi_pg"


class InvalidDatetimeFormatError(DataExceptionError):
    """SQLSTATE 22007: invalid_datetime_format."""

    sqlstate = "22007"
    __module__ = "fasterapi_pg"


class InvalidEscapeCharacterError(DataExceptionError):
    """SQLSTATE 22019: invalid_escape_character."""

    sqlstate = "22019"
    __module__ = "fasterapi_pg"


class InvalidEscapeOctetError(DataExceptionError):
    """SQLSTATE 2200D: invalid_escape_octet."""

    sqlstate = "2200D"
    __module__ = "fasterapi_pg"


class InvalidEscapeSequenceError(DataExceptionError):
    """SQLSTATE 22025: invalid_escape_sequence."""

    sqlstate = "22025"
    __module__ = "fasterapi_pg"


class NonstandardUseOfEscapeCharacterError(DataExceptionError):
    """SQLSTATE 22P06: nonstandard_use_of_escape_character."""

    sqlstate = "22P06"
    __module__ = "fasterapi_pg"


class InvalidIndicatorParameterValueError(DataExceptionError):
    """SQLSTATE 22010: invalid_indicator_parameter_value."""

    sqlstate = "22010"
    __module__ = "fasterapi_pg"


class InvalidParameterValueError(DataExceptionError):
    """SQLSTATE 22023: invalid_parameter_value."""

    sqlstate = "22023"
    __module__ = "fasterapi_pg"


class InvalidPrecedingOrFollowingSizeError(DataExceptionError):
    """SQLSTATE 22013: invalid_preceding_or_following_size."""

    sqlstate = "22013"
    __module__ = "fasterapi_pg"


class InvalidRegularExpressionError(DataExceptionError):
    """SQLSTATE 2201B: invalid_regular_expression."""

    sqlstate = "2201B"
    __module__ = "fasterapi_pg"


class InvalidRowCountInLimitClauseError(DataExceptionError):
    """SQLSTATE 2201W: invalid_row_count_in_limit_clause."""

    sqlstate = "2201W"
    __module__ = "fasterapi_pg"


class InvalidRowCountInResultOffsetClauseError(DataExceptionError):
    """SQLSTATE 2201X: invalid_row_count_in_result_offset_clause."""

    sqlstate = "2201X"
    __module__ = "fasterapi_pg"


class InvalidTablesampleArgumentError(DataExceptionError):
    """SQLSTATE 2202H: invalid_tablesample_argument."""

    sqlstate = "2202H"
    __module__ = "fasterapi_pg"


class InvalidTablesampleRepeatError(DataExceptionError):
    """SQLSTATE 2202G: invalid_tablesample_repeat."""

    sqlstate = "2202G"
    __module__ = "fasterapi_pg"


class InvalidTimeZoneDisplacementValueError(DataExceptionError):
    """SQLSTATE 22009: invalid_time_zone_displacement_value."""

    sqlstate = "22009"
    __module__ = "fasterapi_pg"


class InvalidUseOfEscapeCharacterError(DataExceptionError):
    """SQLSTATE 2200C: invalid_use_of_escape_character."""

    sqlstate = "2200C"
    __module__ = "fasterapi_pg"


class MostSpecificTypeMismatchError(DataExceptionError):
    """SQLSTATE 2200G: most_specific_type_mismatch."""

    sqlstate = "2200G"
    __module__ = "fasterapi_pg"


class NullValueNotAllowedError(DataExceptionError):
    """SQLSTATE 22004: null_value_not_allowed."""

    sqlstate = "22004"
    __module__ = "fasterapi_pg"


class NullValueNoIndicatorParameterError(DataExceptionError):
    """SQLSTATE 22002: null_value_no_indicator_parameter."""

    sqlstate = "22002"
    __module__ = "fasterapi_pg"


class NumericValueOutOfRangeError(DataExceptionError):
    """SQLSTATE 22003: numeric_value_out_of_range."""

    sqlstate = "22003"
    __module__ = "fasterapi_pg"


class SequenceGeneratorLimitExceededError(DataExceptionError):
    """SQLSTATE 2200H: sequence_generator_limit_exceeded."""

    sqlstate = "2200H"
    __module__ = "fasterapi_pg"


class StringDataLengthMismatchError(DataExceptionError):
    """SQLSTATE 22026: string_data_length_mismatch."""

    sqlstate = "22026"
    __module__ = "fasterapi_pg"


class StringDataRightTruncationError(DataExceptionError):
    """SQLSTATE 22001: string_data_right_truncation."""

    sqlstate = "22001"
    __module__ = "fasterapi_pg"


class SubstringError(DataExceptionError):
    """SQLSTATE 22011: substring_error."""

    sqlstate = "22011"
    __module__ = "fasterapi_pg"


class TrimError(DataExceptionError):
    """SQLSTATE 22027: trim_error."""

    sqlstate = "22027"
    __module__ = "fasterapi_pg"


class UnterminatedCStringError(DataExceptionError):
    """SQLSTATE 22024: unterminated_c_string."""

    sqlstate = "22024"
    __module__ = "fasterapi_pg"


class ZeroLengthCharacterStringError(DataExceptionError):
    """SQLSTATE 2200F: zero_length_character_string."""

    sqlstate = "2200F"
    __module__ = "fasterapi_pg"


class FloatingPointExceptionError(DataExceptionError):
    """SQLSTATE 22P01: floating_point_exception."""

    sqlstate = "22P01"
    __module__ = "fasterapi_pg"


class InvalidTextRepresentationError(DataExceptionError):
    """SQLSTATE 22P02: invalid_text_representation."""

    sqlstate = "22P02"
    __module__ = "fasterapi_pg"


class InvalidBinaryRepresentationError(DataExceptionError):
    """SQLSTATE 22P03: invalid_binary_representation."""

    sqlstate = "22P03"
    __module__ = "fasterapi_pg"


class BadCopyFileFormatError(DataExceptionError):
    """SQLSTATE 22P04: bad_copy_file_format."""

    sqlstate = "22P04"
    __module__ = "fasterapi_pg"


class UntranslatableCharacterError(DataExceptionError):
    """SQLSTATE 22P05: untranslatable_character."""

    sqlstate = "22P05"
    __module__ = "fasterapi_pg"


class NotAnXmlDocumentError(DataExceptionError):
    """SQLSTATE 2200L: not_an_xml_document."""

    sqlstate = "2200L"
    __module__ = "fasterapi_pg"


class InvalidXmlDocumentError(DataExceptionError):
    """SQLSTATE 2200M: invalid_xml_document."""

    sqlstate = "2200M"
    __module__ = "fasterapi_pg"


class InvalidXmlContentError(DataExceptionError):
    """SQLSTATE 2200N: invalid_xml_content."""

    sqlstate = "2200N"
    __module__ = "fasterapi_pg"


class InvalidXmlCommentError(DataExceptionError):
    """SQLSTATE 2200S: invalid_xml_comment."""

    sqlstate = "2200S"
    __module__ = "fasterapi_pg"


class InvalidXmlProcessingInstructionError(DataExceptionError):
    """SQLSTATE 2200T: invalid_xml_processing_instruction."""

    sqlstate = "2200T"
    __module__ = "fasterapi_pg"


class DuplicateJsonObjectKeyValueError(DataExceptionError):
    """SQLSTATE 22030: duplicate_json_object_key_value."""

    sqlstate = "22030"
    __module__ = "fasterapi_pg"


class InvalidArgumentForSqlJsonDatetimeFunctionError(DataExceptionError):
    """SQLSTATE 22031: invalid_argument_for_sql_json_datetime_function."""

    sqlstate = "22031"
    __module__ = "fasterapi_pg"


class InvalidJsonTextError(DataExceptionError):
    """SQLSTATE 22032: invalid_json_text."""

    sqlstate = "22032"
    __module__ = "fasterapi_pg"


class InvalidSqlJsonSubscriptError(DataExceptionError):
    """SQLSTATE 22033: invalid_sql_json_subscript."""

    sqlstate = "22033"
    __module__ = "fasterapi_pg"


class MoreThanOneSqlJsonItemError(DataExceptionError):
    """SQLSTATE 22034: more_than_one_sql_json_item."""

    sqlstate = "22034"
    __module__ = "fasterapi_pg"


class NoSqlJsonItemError(DataExceptionError):
    """SQLSTATE 22035: no_sql_json_item."""

    sqlstate = "22035"
    __module__ = "fasterapi_pg"


class NonNumericSqlJsonItemError(DataExceptionError):
    """SQLSTATE 22036: non_numeric_sql_json_item."""

    sqlstate = "22036"
    __module__ = "fasterapi_pg"


class NonUniqueKeysInAJsonObjectError(DataExceptionError):
    """SQLSTATE 22037: non_unique_keys_in_a_json_object."""

    sqlstate = "22037"
    __module__ = "fasterapi_pg"


class SingletonSqlJsonItemRequiredError(DataExceptionError):
    """SQLSTATE 22038: singleton_sql_json_item_required."""

    sqlstate = "22038"
    __module__ = "fasterapi_pg"


class SqlJsonArrayNotFoundError(DataExceptionError):
    """SQLSTATE 22039: sql_json_array_not_found."""

    sqlstate = "22039"
    __module__ = "fasterapi_pg"


class SqlJsonMemberNotFoundError(DataExceptionError):
    """SQLSTATE 2203A: sql_json_member_not_found."""

    sqlstate = "2203A"
    __module__ = "fasterapi_pg"


class SqlJsonNumberNotFoundError(DataExceptionError):
    """SQLSTATE 2203B: sql_json_number_not_found."""

    sqlstate = "2203B"
    __module__ = "fasterapi_pg"


class SqlJsonObjectNotFoundError(DataExceptionError):
    """SQLSTATE 2203C: sql_json_object_not_found."""

    sqlstate = "2203C"
    __module__ = "fasterapi_pg"


class TooManyJsonArrayElementsError(DataExceptionError):
    """SQLSTATE 2203D: too_many_json_array_elements."""

    sqlstate = "2203D"
    __module__ = "fasterapi_pg"


class TooManyJsonObjectMembersError(DataExceptionError):
    """SQLSTATE 2203E: too_many_json_object_members."""

    sqlstate = "2203E"
    __module__ = "fasterapi_pg"


class SqlJsonScalarRequiredError(DataExceptionError):
    """SQLSTATE 2203F: sql_json_scalar_required."""

    sqlstate = "2203F"
    __module__ = "fasterapi_pg"


class SqlJsonItemCannotBeCastToTargetTypeError(DataExceptionError):
    """SQLSTATE 2203G: sql_json_item_cannot_be_cast_to_target_type."""

    sqlstate = "2203G"
    __module__ = "fasterapi_pg"


class IntegrityConstraintViolationError(PostgresError, IntegrityError):
    """SQLSTATE 23000: integrity_constraint_violation."""

    sqlstate = "23000"
    __module__ = "fasterapi_pg"


class RestrictViolationError(IntegrityConstraintViolationError):
    """SQLSTATE 23001: restrict_violation."""

    sqlstate = "23001"
    __module__ = "fasterapi_pg"


class NotNullViolationError(IntegrityConstraintViolationError):
    """SQLSTATE 23502: not_null_violation."""

    sqlstate = "23502"
    __module__ = "fasterapi_pg"


class ForeignKeyViolationError(IntegrityConstraintViolationError):
    """SQLSTATE 23503: foreign_key_violation."""

    sqlstate = "23503"
    __module__ = "fasterapi_pg"


class UniqueViolationError(IntegrityConstraintViolationError):
    """SQLSTATE 23505: unique_violation."""

    sqlstate = "23505"
    __module__ = "fasterapi_pg"


class CheckViolationError(IntegrityConstraintViolationError):
    """SQLSTATE 23514: check_violation."""

    sqlstate = "23514"
    __module__ = "fasterapi_pg"


class ExclusionViolationError(IntegrityConstraintViolationError):
    """SQLSTATE 23P01: exclusion_violation."""

    sqlstate = "23P01"
    __module__ = "fasterapi_pg"


class InvalidCursorStateError(PostgresError):
    """SQLSTATE 24000: invalid_cursor_state."""

    sqlstate = "24000"
    __module__ = "fasterapi_pg"


class InvalidTransactionStateError(PostgresError):
    """SQLSTATE 25000: invalid_transaction_state."""

    sqlstate = "25000"
    __module__ = "fasterapi_pg"


class ActiveSqlTransactionError(InvalidTransactionStateError):
    """SQLSTATE 25001: active_sql_transaction."""

    sqlstate = "25001"
    __module__ = "fasterapi_pg"


class BranchTransactionAlreadyActiveError(InvalidTransactionStateError):
    """SQLSTATE 25002: branch_transaction_already_active."""

    sqlstate = "25002"
    __module__ = "fasterapi_pg"


class HeldCursorRequiresSameIsolationLevelError(InvalidTransactionStateError):
    """SQLSTATE 25008: held_cursor_requires_same_isolation_level."""

    sqlstate = "25008"
    __module__ = "fasterapi_pg"


class InappropriateAccessModeForBranchTransactionError(InvalidTransactionStateError):
    """SQLSTATE 25003: inappropriate_access_mode_for_branch_transaction."""

    sqlstate = "25003"
    __module__ = "fasterapi_pg"


class InappropriateIsolationLevelForBranchTransactionError(InvalidTransactionStateError):
    """SQLSTATE 25004: inappropriate_isolation_level_for_branch_transaction."""

    sqlstate = "25004"
    __module__ = "fasterapi_pg"


class NoActiveSqlTransactionForBranchTransactionError(InvalidTransactionStateError):
    """SQLSTATE 25005: no_active_sql_transaction_for_branch_transaction."""

    sqlstate = "25005"
    __module__ = "fasterapi_pg"


class ReadOnlySqlTransactionError(InvalidTransactionStateError):
    """SQLSTATE 25006: read_only_sql_transaction."""

    sqlstate = "25006"
    __module__ = "fasterapi_pg"


class SchemaAndDataStatementMixingNotSupportedError(InvalidTransactionStateError):
    """SQLSTATE 25007: schema_and_data_statement_mixing_not_supported."""

    sqlstate = "25007"
    __module__ = "fasterapi_pg"


class NoActiveSqlTransactionError(InvalidTransactionStateError):
    """SQLSTATE 25P01: no_active_sql_transaction."""

    sqlstate = "25P01"
    __module__ = "fasterapi_pg"


class InFailedSqlTransactionError(InvalidTransactionStateError):
    """SQLSTATE 25P02: in_failed_sql_transaction."""

    sqlstate = "25P02"
    __module__ = "fasterapi_pg"


class IdleInTransactionSessionTimeoutError(InvalidTransactionStateError):
    """SQLSTATE 25P03: idle_in_transaction_session_timeout."""

    sqlstate = "25P03"
    __module__ = "fasterapi_pg"


class InvalidSqlStatementNameError(PostgresError):
    """SQLSTATE 26000: invalid_sql_statement_name."""

    sqlstate = "26000"
    __module__ = "fasterapi_pg"


class TriggeredDataChangeViolationError(PostgresError):
    """SQLSTATE 27000: triggered_data_change_violation."""

    sqlstate = "27000"
    __module__ = "fasterapi_pg"


class InvalidAuthorizationSpecificationError(PostgresError):
    """SQLSTATE 28000: invalid_authorization_specification."""

    sqlstate = "28000"
    __module__ = "fasterapi_pg"


class InvalidPasswordError(InvalidAuthorizationSpecificationError):
    """SQLSTATE 28P01: invalid_password."""

    sqlstate = "28P01"
    __module__ = "fasterapi_pg"


class DependentPrivilegeDescriptorsStillExistError(PostgresError):
    """SQLSTATE 2B000: dependent_privilege_descriptors_still_exist."""

    sqlstate = "2B000"
    __module__ = "fasterapi_pg"


class DependentObjectsStillExistError(DependentPrivilegeDescriptorsStillExistError):
    """SQLSTATE 2BP01: dependent_objects_still_exist."""

    sqlstate = "2BP01"
    __module__ = "fasterapi_pg"


class InvalidTransactionTerminationError(PostgresError):
    """SQLSTATE 2D000: invalid_transaction_termination."""

    sqlstate = "2D000"
    __module__ = "fasterapi_pg"


class SqlRoutineExceptionError(PostgresError):
    """SQLSTATE 2F000: sql_routine_exception."""

    sqlstate = "2F000"
    __module__ = "fasterapi_pg"


class FunctionExecutedNoReturnStatementError(SqlRoutineExceptionError):
    """SQLSTATE 2F005: function_executed_no_return_statement."""

    sqlstate = "2F005"
    __module__ = "fasterapi_pg"


class ModifyingSqlDataNotPermittedError(SqlRoutineExceptionError):
    """SQLSTATE 2F002: modifying_sql_data_not_permitted."""

    sqlstate = "2F002"
    __module__ = "fasterapi_pg"


class ProhibitedSqlStatementAttemptedError(SqlRoutineExceptionError):
    """SQLSTATE 2F003: prohibited_sql_statement_attempted."""

    sqlstate = "2F003"
    __module__ = "fasterapi_pg"


class ReadingSqlDataNotPermittedError(SqlRoutineExceptionError):
    """SQLSTATE 2F004: reading_sql_data_not_permitted."""

    sqlstate = "2F004"
    __module__ = "fasterapi_pg"


class InvalidCursorNameError(PostgresError):
    """SQLSTATE 34000: invalid_cursor_name."""

    sqlstate = "34000"
    __module__ = "fasterapi_pg"


class ExternalRoutineExceptionError(PostgresError):
    """SQLSTATE 38000: external_routine_exception."""

    sqlstate = "38000"
    __module__ = "fasterapi_pg"


class ContainingSqlNotPermittedError(ExternalRoutineExceptionError):
    """SQLSTATE 38001: containing_sql_not_permitted."""

    sqlstate = "38001"
    __module__ = "fasterapi_pg"


class ModifyingSqlDataNotPermitted38002Error(ExternalRoutineExceptionError):
    """SQLSTATE 38002: modifying_sql_data_not_permitted."""

    sqlstate = "38002"
    __module__ = "fasterapi_pg"


class ProhibitedSqlStatementAttempted38003Error(ExternalRoutineExceptionError):
    """SQLSTATE 38003: prohibited_sql_statement_attempted."""

    sqlstate = "38003"
    __module__ = "fasterapi_pg"


class ReadingSqlDataNotPermitted38004Error(ExternalRoutineExceptionError):
    """SQLSTATE 38004: reading_sql_data_not_permitted."""

    sqlstate = "38004"
    __module__ = "fasterapi_pg"


class ExternalRoutineInvocationExceptionError(PostgresError):
    """SQLSTATE 39000: external_routine_invocation_exception."""

    sqlstate = "39000"
    __module__ = "fasterapi_pg"


class InvalidSqlstateReturnedError(ExternalRoutineInvocationExceptionError):
    """SQLSTATE 39001: invalid_sqlstate_returned."""

    sqlstate = "39001"
    __module__ = "fasterapi_pg"


class NullValueNotAllowed39004Error(ExternalRoutineInvocationExceptionError):
    """SQLSTATE 39004: null_value_not_allowed."""

    sqlstate = "39004"
    __module__ = "fasterapi_pg"


class TriggerProtocolViolatedError(ExternalRoutineInvocationExceptionError):
    """SQLSTATE 39P01: trigger_protocol_violated."""

    sqlstate = "39P01"
    __module__ = "fasterapi_pg"


class SrfProtocolViolatedError(ExternalRoutineInvocationExceptionError):
    """SQLSTATE 39P02: srf_protocol_violated."""

    sqlstate = "39P02"
    __module__ = "fasterapi_pg"


class EventTriggerProtocolViolatedError(ExternalRoutineInvocationExceptionError):
    """SQLSTATE 39P03: event_trigger_protocol_violated."""

    sqlstate = "39P03"
    __module__ = "fasterapi_pg"


class SavepointExceptionError(PostgresError):
    """SQLSTATE 3B000: savepoint_exception."""

    sqlstate = "3B000"
    __module__ = "fasterapi_pg"


class InvalidSavepointSpecificationError(SavepointExceptionError):
    """SQLSTATE 3B001: invalid_savepoint_specification."""

    sqlstate = "3B001"
    __module__ = "fasterapi_pg"


class InvalidCatalogNameError(PostgresError):
    """SQLSTATE 3D000: invalid_catalog_name."""

    sqlstate = "3D000"
    __module__ = "fasterapi_pg"


class InvalidSchemaNameError(PostgresError):
    """SQLSTATE 3F000: invalid_schema_name."""

    sqlstate = "3F000"
    __module__ = "fasterapi_pg"


class TransactionRollbackError(PostgresError, OperationalError):
    """SQLSTATE 40000: transaction_rollback."""

    sqlstate = "40000"
    __module__ = "fasterapi_pg"


class TransactionIntegrityConstraintViolationError(TransactionRollbackError):
    """SQLSTATE 40002: transaction_integrity_constraint_violation."""

    sqlstate = "40002"
    __module__ = "fasterapi_pg"


class SerializationError(TransactionRollbackError):
    """SQLSTATE 40001: serialization_failure."""

    sqlstate = "40001"
    __module__ = "fasterapi_pg"


class StatementCompletionUnknownError(TransactionRollbackError):
    """SQLSTATE 40003: statement_completion_unknown."""

    sqlstate = "40003"
    __module__ = "fasterapi_pg"


class DeadlockDetectedError(TransactionRollbackError):
    """SQLSTATE 40P01: deadlock_detected."""

    sqlstate = "40P01"
    __module__ = "fasterapi_pg"


class SyntaxErrorOrAccessRuleViolationError(PostgresError, ProgrammingError):
    """SQLSTATE 42000: syntax_error_or_access_rule_violation."""

    sqlstate = "42000"
    __module__ = "fasterapi_pg"


class PostgresSyntaxError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42601: syntax_error."""

    sqlstate = "42601"
    __module__ = "fasterapi_pg"


class InsufficientPrivilegeError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42501: insufficient_privilege."""

    sqlstate = "42501"
    __module__ = "fasterapi_pg"


class CannotCoerceError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42846: cannot_coerce."""

    sqlstate = "42846"
    __module__ = "fasterapi_pg"


class GroupingError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42803: grouping_error."""

    sqlstate = "42803"
    __module__ = "fasterapi_pg"


class WindowingError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P20: windowing_error."""

    sqlstate = "42P20"
    __module__ = "fasterapi_pg"


class InvalidRecursionError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P19: invalid_recursion."""

    sqlstate = "42P19"
    __module__ = "fasterapi_pg"


class InvalidForeignKeyError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42830: invalid_foreign_key."""

    sqlstate = "42830"
    __module__ = "fasterapi_pg"


class InvalidNameError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42602: invalid_name."""

    sqlstate = "42602"
    __module__ = "fasterapi_pg"


class NameTooLongError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42622: name_too_long."""

    sqlstate = "42622"
    __module__ = "fasterapi_pg"


class ReservedNameError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42939: reserved_name."""

    sqlstate = "42939"
    __module__ = "fasterapi_pg"


class DatatypeMismatchError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42804: datatype_mismatch."""

    sqlstate = "42804"
    __module__ = "fasterapi_pg"


class IndeterminateDatatypeError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P18: indeterminate_datatype."""

    sqlstate = "42P18"
    __module__ = "fasterapi_pg"


class CollationMismatchError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P21: collation_mismatch."""

    sqlstate = "42P21"
    __module__ = "fasterapi_pg"


class IndeterminateCollationError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P22: indeterminate_collation."""

    sqlstate = "42P22"
    __module__ = "fasterapi_pg"


class WrongObjectTypeError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42809: wrong_object_type."""

    sqlstate = "42809"
    __module__ = "fasterapi_pg"


class GeneratedAlwaysError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 428C9: generated_always."""

    sqlstate = "428C9"
    __module__ = "fasterapi_pg"


class UndefinedColumnError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42703: undefined_column."""

    sqlstate = "42703"
    __module__ = "fasterapi_pg"


class UndefinedFunctionError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42883: undefined_function."""

    sqlstate = "42883"
    __module__ = "fasterapi_pg"


class UndefinedTableError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P01: undefined_table."""

    sqlstate = "42P01"
    __module__ = "fasterapi_pg"


class UndefinedParameterError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P02: undefined_parameter."""

    sqlstate = "42P02"
    __module__ = "fasterapi_pg"


class UndefinedObjectError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42704: undefined_object."""

    sqlstate = "42704"
    __module__ = "fasterapi_pg"


class DuplicateColumnError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42701: duplicate_column."""

    sqlstate = "42701"
    __module__ = "fasterapi_pg"


class DuplicateCursorError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P03: duplicate_cursor."""

    sqlstate = "42P03"
    __module__ = "fasterapi_pg"


class DuplicateDatabaseError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P04: duplicate_database."""

    sqlstate = "42P04"
    __module__ = "fasterapi_pg"


class DuplicateFunctionError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42723: duplicate_function."""

    sqlstate = "42723"
    __module__ = "fasterapi_pg"


class DuplicatePreparedStatementError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P05: duplicate_prepared_statement."""

    sqlstate = "42P05"
    __module__ = "fasterapi_pg"


class DuplicateSchemaError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P06: duplicate_schema."""

    sqlstate = "42P06"
    __module__ = "fasterapi_pg"


class DuplicateTableError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P07: duplicate_table."""

    sqlstate = "42P07"
    __module__ = "fasterapi_pg"


class DuplicateAliasError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42712: duplicate_alias."""

    sqlstate = "42712"
    __module__ = "fasterapi_pg"


class DuplicateObjectError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42710: duplicate_object."""

    sqlstate = "42710"
    __module__ = "fasterapi_pg"


class AmbiguousColumnError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42702: ambiguous_column."""

    sqlstate = "42702"
    __module__ = "fasterapi_pg"


class AmbiguousFunctionError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42725: ambiguous_function."""

    sqlstate = "42725"
    __module__ = "fasterapi_pg"


class AmbiguousParameterError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P08: ambiguous_parameter."""

    sqlstate = "42P08"
    __module__ = "fasterapi_pg"


class AmbiguousAliasError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P09: ambiguous_alias."""

    sqlstate = "42P09"
    __module__ = "fasterapi_pg"


class InvalidColumnReferenceError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P10: invalid_column_reference."""

    sqlstate = "42P10"
    __module__ = "fasterapi_pg"


class InvalidColumnDefinitionError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42611: invalid_column_definition."""

    sqlstate = "42611"
    __module__ = "fasterapi_pg"


class InvalidCursorDefinitionError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P11: invalid_cursor_definition."""

    sqlstate = "42P11"
    __module__ = "fasterapi_pg"


class InvalidDatabaseDefinitionError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P12: invalid_database_definition."""

    sqlstate = "42P12"
    __module__ = "fasterapi_pg"


class InvalidFunctionDefinitionError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P13: invalid_function_definition."""

    sqlstate = "42P13"
    __module__ = "fasterapi_pg"


class InvalidPreparedStatementDefinitionError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P14: invalid_prepared_statement_definition."""

    sqlstate = "42P14"
    __module__ = "fasterapi_pg"


class InvalidSchemaDefinitionError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P15: invalid_schema_definition."""

    sqlstate = "42P15"
    __module__ = "fasterapi_pg"


class InvalidTableDefinitionError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P16: invalid_table_definition."""

    sqlstate = "42P16"
    __module__ = "fasterapi_pg"


class InvalidObjectDefinitionError(SyntaxErrorOrAccessRuleViolationError):
    """SQLSTATE 42P17: invalid_object_definition."""

    sqlstate = "42P17"
    __module__ = "fasterapi_pg"


class WithCheckOptionViolationError(PostgresError):
    """SQLSTATE 44000: with_check_option_violation."""

    sqlstate = "44000"
    __module__ = "fasterapi_pg"


class InsufficientResourcesError(PostgresError, OperationalError):
    """SQLSTATE 53000: insufficient_resources."""

    sqlstate = "53000"
    __module__ = "fasterapi_pg"


class DiskFullError(InsufficientResourcesError):
    """SQLSTATE 53100: disk_full."""

    sqlstate = "53100"
    __module__ = "fasterapi_pg"


class OutOfMemoryError(InsufficientResourcesError):
    """SQLSTATE 53200: out_of_memory."""

    sqlstate = "53200"
    __module__ = "fasterapi_pg"


class TooManyConnectionsError(InsufficientResourcesError):
    """SQLSTATE 53300: too_many_connections."""

    sqlstate = "53300"
    __module__ = "fasterapi_pg"


class ConfigurationLimitExceededError(InsufficientResourcesError):
    """SQLSTATE 53400: configuration_limit_exceeded."""

    sqlstate = "53400"
    __module__ = "fasterapi_pg"


class ProgramLimitExceededError(PostgresError, OperationalError):
    """SQLSTATE 54000: program_limit_exceeded."""

    sqlstate = "54000"
    __module__ = "fasterapi_pg"


class StatementTooComplexError(ProgramLimitExceededError):
    """SQLSTATE 54001: statement_too_complex."""

    sqlstate = "54001"
    __module__ = "fasterapi_pg"


class TooManyColumnsError(ProgramLimitExceededError):
    """SQLSTATE 54011: too_many_columns."""

    sqlstate = "54011"
    __module__ = "fasterapi_pg"


class TooManyArgumentsError(ProgramLimitExceededError):
    """SQLSTATE 54023: too_many_arguments."""

    sqlstate = "54023"
    __module__ = "fasterapi_pg"


class ObjectNotInPrerequisiteStateError(PostgresError, OperationalError):
    """SQLSTATE 55000: object_not_in_prerequisite_state."""

    sqlstate = "55000"
    __module__ = "fasterapi_pg"


class ObjectInUseError(ObjectNotInPrerequisiteStateError):
    """SQLSTATE 55006: object_in_use."""

    sqlstate = "55006"
    __module__ = "fasterapi_pg"


class CantChangeRuntimeParamError(ObjectNotInPrerequisiteStateError):
    """SQLSTATE 55P02: cant_change_runtime_param."""

    sqlstate = "55P02"
    __module__ = "fasterapi_pg"


class LockNotAvailableError(ObjectNotInPrerequisiteStateError):
    """SQLSTATE 55P03: lock_not_available."""

    sqlstate = "55P03"
    __module__ = "fasterapi_pg"


class UnsafeNewEnumValueUsageError(ObjectNotInPrerequisiteStateError):
    """SQLSTATE 55P04: unsafe_new_enum_value_usage."""

    sqlstate = "55P04"
    __module__ = "fasterapi_pg"


class OperatorInterventionError(PostgresError, OperationalError):
    """SQLSTATE 57000: operator_intervention."""

    sqlstate = "57000"
    __module__ = "fasterapi_pg"


class QueryCanceledError(OperatorInterventionError):
    """SQLSTATE 57014: query_canceled."""

    sqlstate = "57014"
    __module__ = "fasterapi_pg"


class AdminShutdownError(OperatorInterventionError):
    """SQLSTATE 57P01: admin_shutdown."""

    sqlstate = "57P01"
    __module__ = "fasterapi_pg"


class CrashShutdownError(OperatorInterventionError):
    """SQLSTATE 57P02: crash_shutdown."""

    sqlstate = "57P02"
    __module__ = "fasterapi_pg"


class CannotConnectNowError(OperatorInterventionError):
    """SQLSTATE 57P03: cannot_connect_now."""

    sqlstate = "57P03"
    __module__ = "fasterapi_pg"


class DatabaseDroppedError(OperatorInterventionError):
    """SQLSTATE 57P04: database_dropped."""

    sqlstate = "57P04"
    __module__ = "fasterapi_pg"


class IdleSessionTimeoutError(OperatorInterventionError):
    """SQLSTATE 57P05: idle_session_timeout."""

    sqlstate = "57P05"
    __module__ = "fasterapi_pg"


class PostgresSystemError(PostgresError, OperationalError):
    """SQLSTATE 58000: system_error."""

    sqlstate = "58000"
    __module__ = "fasterapi_pg"


class IoError(PostgresSystemError):
    """SQLSTATE 58030: io_error."""

    sqlstate = "58030"
    __module__ = "fasterapi_pg"


class UndefinedFileError(PostgresSystemError):
    """SQLSTATE 58P01: undefined_file."""

    sqlstate = "58P01"
    __module__ = "fasterapi_pg"


class DuplicateFileError(PostgresSystemError):
    """SQLSTATE 58P02: duplicate_file."""

    sqlstate = "58P02"
    __module__ = "fasterapi_pg"


class SnapshotTooOldError(PostgresError):
    """SQLSTATE 72000: snapshot_too_old."""

    sqlstate = "72000"
    __module__ = "fasterapi_pg"


class ConfigFileError(PostgresError):
    """SQLSTATE F0000: config_file_error."""

    sqlstate = "F0000"
    __module__ = "fasterapi_pg"


class LockFileExistsError(ConfigFileError):
    """SQLSTATE F0001: lock_file_exists."""

    sqlstate = "F0001"
    __module__ = "fasterapi_pg"


class FdwError(PostgresError):
    """SQLSTATE HV000: fdw_error."""

    sqlstate = "HV000"
    __module__ = "fasterapi_pg"


class FdwColumnNameNotFoundError(FdwError):
    """SQLSTATE HV005: fdw_column_name_not_found."""

    sqlstate = "HV005"
    __module__ = "fasterapi_pg"


class FdwDynamicParameterValueNeededError(FdwError):
    """SQLSTATE HV002: fdw_dynamic_parameter_value_needed."""

    sqlstate = "HV002"
    __module__ = "fasterapi_pg"


class FdwFunctionSequenceError(FdwError):
    """SQLSTATE HV010: fdw_function_sequence_error."""

    sqlstate = "HV010"
    __module__ = "fasterapi_pg"


class FdwInconsistentDescriptorInformationError(FdwError):
    """SQLSTATE HV021: fdw_inconsistent_descriptor_information."""

    sqlstate = "HV021"
    __module__ = "fasterapi_pg"


class FdwInvalidAttributeValueError(FdwError):
    """SQLSTATE HV024: fdw_invalid_attribute_value."""

    sqlstate = "HV024"
    __module__ = "fasterapi_pg"


class FdwInvalidColumnNameError(FdwError):
    """SQLSTATE HV007: fdw_invalid_column_name."""

    sqlstate = "HV007"
    __module__ = "fasterapi_pg"


class FdwInvalidColumnNumberError(FdwError):
    """SQLSTATE HV008: fdw_invalid_column_number."""

    sqlstate = "HV008"
    __module__ = "fasterapi_pg"


class FdwInvalidDataTypeError(FdwError):
    """SQLSTATE HV004: fdw_invalid_data_type."""

    sqlstate = "HV004"
    __module__ = "fasterapi_pg"


class FdwInvalidDataTypeDescriptorsError(FdwError):
    """SQLSTATE HV006: fdw_invalid_data_type_descriptors."""

    sqlstate = "HV006"
    __module__ = "fasterapi_pg"


class FdwInvalidDescriptorFieldIdentifierError(FdwError):
    """SQLSTATE HV091: fdw_invalid_descriptor_field_identifier."""

    sqlstate = "HV091"
    __module__ = "fasterapi_pg"


class FdwInvalidHandleError(FdwError):
    """SQLSTATE HV00B: fdw_invalid_handle."""

    sqlstate = "HV00B"
    __module__ = "fasterapi_pg"


class FdwInvalidOptionIndexError(FdwError):
    """SQLSTATE HV00C: fdw_invalid_option_index."""

    sqlstate = "HV00C"
    __module__ = "fasterapi_pg"


class FdwInvalidOptionNameError(FdwError):
    """SQLSTATE HV00D: fdw_invalid_option_name."""

    sqlstate = "HV00D"
    __module__ = "fasterapi_pg"


class FdwInvalidStringLengthOrBufferLengthError(FdwError):
    """SQLSTATE HV090: fdw_invalid_string_length_or_buffer_length."""

    sqlstate = "HV090"
    __module__ = "fasterapi_pg"


class FdwInvalidStringFormatError(FdwError):
    """SQLSTATE HV00A: fdw_invalid_string_format."""

    sqlstate = "HV00A"
    __module__ = "fasterapi_pg"


class FdwInvalidUseOfNullPointerError(FdwError):
    """SQLSTATE HV009: fdw_invalid_use_of_null_pointer."""

    sqlstate = "HV009"
    __module__ = "fasterapi_pg"


class FdwTooManyHandlesError(FdwError):
    """SQLSTATE HV014: fdw_too_many_handles."""

    sqlstate = "HV014"
    __module__ = "fasterapi_pg"


class FdwOutOfMemoryError(FdwError):
    """SQLSTATE HV001: fdw_out_of_memory."""

    sqlstate = "HV001"
    __module__ = "fasterapi_pg"


class FdwNoSchemasError(FdwError):
    """SQLSTATE HV00P: fdw_no_schemas."""

    sqlstate = "HV00P"
    __module__ = "fasterapi_pg"


class FdwOptionNameNotFoundError(FdwError):
    """SQLSTATE HV00J: fdw_option_name_not_found."""

    sqlstate = "HV00J"
    __module__ = "fasterapi_pg"


class FdwReplyHandleError(FdwError):
    """SQLSTATE HV00K: fdw_reply_handle."""

    sqlstate = "HV00K"
    __module__ = "fasterapi_pg"


class FdwSchemaNotFoundError(FdwError):
    """SQLSTATE HV00Q: fdw_schema_not_found."""

    sqlstate = "HV00Q"
    __module__ = "fasterapi_pg"


class FdwTableNotFoundError(FdwError):
    """SQLSTATE HV00R: fdw_table_not_found."""

    sqlstate = "HV00R"
    __module__ = "fasterapi_pg"


class FdwUnableToCreateExecutionError(FdwError):
    """SQLSTATE HV00L: fdw_unable_to_create_execution."""

    sqlstate = "HV00L"
    __module__ = "fasterapi_pg"


class FdwUnableToCreateReplyError(FdwError):
    """SQLSTATE HV00M: fdw_unable_to_create_reply."""

    sqlstate = "HV00M"
    __module__ = "fasterapi_pg"


class FdwUnableToEstablishConnectionError(FdwError):
    """SQLSTATE HV00N: fdw_unable_to_establish_connection."""

    sqlstate = "HV00N"
    __module__ = "fasterapi_pg"


class PlpgsqlError(PostgresError):
    """SQLSTATE P0000: plpgsql_error."""

    sqlstate = "P0000"
    __module__ = "fasterapi_pg"


class RaiseExceptionError(PlpgsqlError):
    """SQLSTATE P0001: raise_exception."""

    sqlstate = "P0001"
    __module__ = "fasterapi_pg"


class NoDataFoundError(PlpgsqlError):
    """SQLSTATE P0002: no_data_found."""

    sqlstate = "P0002"
    __module__ = "fasterapi_pg"


class TooManyRowsError(PlpgsqlError):
    """SQLSTATE P0003: too_many_rows."""

    sqlstate = "P0003"
    __module__ = "fasterapi_pg"


class AssertError(PlpgsqlError):
    """SQLSTATE P0004: assert_failure."""

    sqlstate = "P0004"
    __module__ = "fasterapi_pg"


class PostgresInternalError(PostgresError, InternalError):
    """SQLSTATE XX000: internal_error."""

    sqlstate = "XX000"
    __module__ = "fasterapi_pg"


class DataCorruptedError(PostgresInternalError):
    """SQLSTATE XX001: data_corrupted."""

    sqlstate = "XX001"
    __module__ = "fasterapi_pg"


class IndexCorruptedError(PostgresInternalError):
    """SQLSTATE XX002: index_corrupted."""

    sqlstate = "XX002"
    __module__ = "fasterapi_pg"


BY_SQLSTATE: dict[str, type[PostgresError]] = {
    "03000": SqlStatementNotYetCompleteError,
    "08000": ConnectionExceptionError,
    "08003": ConnectionDoesNotExistError,
    "08006": PostgresConnectionError,
    "08001": SqlclientUnableToEstablishSqlconnectionError,
    "08004": SqlserverRejectedEstablishmentOfSqlconnectionError,
    "08007": TransactionResolutionUnknownError,
    "08P01": ProtocolViolationError,
    "09000": TriggeredActionExceptionError,
    "0A000": FeatureNotSupportedError,
    "0B000": InvalidTransactionInitiationError,
    "0F000": LocatorExceptionError,
    "0F001": InvalidLocatorSpecificationError,
    "0L000": InvalidGrantorError,
    "0LP01": InvalidGrantOperationError,
    "0P000": InvalidRoleSpecificationError,
    "0Z000": DiagnosticsExceptionError,
    "0Z002": StackedDiagnosticsAccessedWithoutActiveHandlerError,
    "20000": CaseNotFoundError,
    "21000": CardinalityViolationError,
    "22000": DataExceptionError,
    "2202E": ArraySubscriptError,
    "22021": CharacterNotInRepertoireError,
    "22008": DatetimeFieldOverflowError,
    "22012": DivisionByZeroError,
    "22005": ErrorInAssignmentError,
    "2200B": EscapeCharacterConflictError,
    "22022": IndicatorOverflowError,
    "22015": IntervalFieldOverflowError,
    "2201E": InvalidArgumentForLogarithmError,
    "22014": InvalidArgumentForNtileFunctionError,
    "22016": InvalidArgumentForNthValueFunctionError,
    "2201F": InvalidArgumentForPowerFunctionError,
    "2201G": InvalidArgumentForWidthBucketFunctionError,
    "22018": InvalidCharacterValueForCastError,
    "22007": InvalidDatetimeFormatError,
    "22019": InvalidEscapeCharacterError,
    "2200D": InvalidEscapeOctetError,
    "22025": InvalidEscapeSequenceError,
    "22P06": NonstandardUseOfEscapeCharacterError,
    "22010": InvalidIndicatorParameterValueError,
    "22023": InvalidParameterValueError,
    "22013": InvalidPrecedingOrFollowingSizeError,
    "2201B": InvalidRegularExpressionError,
    "2201W": InvalidRowCountInLimitClauseError,
    "2201X": InvalidRowCountInResultOffsetClauseError,
    "2202H": InvalidTablesampleArgumentError,
    "2202G": InvalidTablesampleRepeatError,
    "22009": InvalidTimeZoneDisplacementValueError,
    "2200C": InvalidUseOfEscapeCharacterError,
    "2200G": MostSpecificTypeMismatchError,
    "22004": NullValueNotAllowedError,
    "22002": NullValueNoIndicatorParameterError,
    "22003": NumericValueOutOfRangeError,
    "2200H": SequenceGeneratorLimitExceededError,
    "22026": StringDataLengthMismatchError,
    "22001": StringDataRightTruncationError,
    "22011": SubstringError,
    "22027": TrimError,
    "22024": UnterminatedCStringError,
    "2200F": ZeroLengthCharacterStringError,
    "22P01": FloatingPointExceptionError,
    "22P02": InvalidTextRepresentationError,
    "22P03": InvalidBinaryRepresentationError,
    "22P04": BadCopyFileFormatError,
    "22P05": UntranslatableCharacterError,
    "2200L": NotAnXmlDocumentError,
    "2200M": InvalidXmlDocumentError,
    "2200N": InvalidXmlContentError,
    "2200S": InvalidXmlCommentError,
    "2200T": InvalidXmlProcessingInstructionError,
    "22030": DuplicateJsonObjectKeyValueError,
    "22031": InvalidArgumentForSqlJsonDatetimeFunctionError,
    "22032": InvalidJsonTextError,
    "22033": InvalidSqlJsonSubscriptError,
    "22034": MoreThanOneSqlJsonItemError,
    "22035": NoSqlJsonItemError,
    "22036": NonNumericSqlJsonItemError,
    "22037": NonUniqueKeysInAJsonObjectError,
    "22038": SingletonSqlJsonItemRequiredError,
    "22039": SqlJsonArrayNotFoundError,
    "2203A": SqlJsonMemberNotFoundError,
    "2203B": SqlJsonNumberNotFoundError,
    "2203C": SqlJsonObjectNotFoundError,
    "2203D": TooManyJsonArrayElementsError,
    "2203E": TooManyJsonObjectMembersError,
    "2203F": SqlJsonScalarRequiredError,
    "2203G": SqlJsonItemCannotBeCastToTargetTypeError,
    "23000": IntegrityConstraintViolationError,
    "23001": RestrictViolationError,
    "23502": NotNullViolationError,
    "23503": ForeignKeyViolationError,
    "23505": UniqueViolationError,
    "23514": CheckViolationError,
    "23P01": ExclusionViolationError,
    "24000": InvalidCursorStateError,
    "25000": InvalidTransactionStateError,
    "25001": ActiveSqlTransactionError,
    "25002": BranchTransactionAlreadyActiveError,
    "25008": HeldCursorRequiresSameIsolationLevelError,
    "25003": InappropriateAccessModeForBranchTransactionError,
    "25004": InappropriateIsolationLevelForBranchTransactionError,
    "25005": NoActiveSqlTransactionForBranchTransactionError,
    "25006": ReadOnlySqlTransactionError,
    "25007": SchemaAndDataStatementMixingNotSupportedError,
    "25P01": NoActiveSqlTransactionError,
    "25P02": InFailedSqlTransactionError,
    "25P03": IdleInTransactionSessionTimeoutError,
    "26000": InvalidSqlStatementNameError,
    "27000": TriggeredDataChangeViolationError,
    "28000": InvalidAuthorizationSpecificationError,
    "28P01": InvalidPasswordError,
    "2B000": DependentPrivilegeDescriptorsStillExistError,
    "2BP01": DependentObjectsStillExistError,
    "2D000": InvalidTransactionTerminationError,
    "2F000": SqlRoutineExceptionError,
    "2F005": FunctionExecutedNoReturnStatementError,
    "2F002": ModifyingSqlDataNotPermittedError,
    "2F003": ProhibitedSqlStatementAttemptedError,
    "2F004": ReadingSqlDataNotPermittedError,
    "34000": InvalidCursorNameError,
    "38000": ExternalRoutineExceptionError,
    "38001": ContainingSqlNotPermittedError,
    "38002": ModifyingSqlDataNotPermitted38002Error,
    "38003": ProhibitedSqlStatementAttempted38003Error,
    "38004": ReadingSqlDataNotPermitted38004Error,
    "39000": ExternalRoutineInvocationExceptionError,
    "39001": InvalidSqlstateReturnedError,
    "39004": NullValueNotAllowed39004Error,
    "39P01": TriggerProtocolViolatedError,
    "39P02": SrfProtocolViolatedError,
    "39P03": EventTriggerProtocolViolatedError,
    "3B000": SavepointExceptionError,
    "3B001": InvalidSavepointSpecificationError,
    "3D000": InvalidCatalogNameError,
    "3F000": InvalidSchemaNameError,
    "40000": TransactionRollbackError,
    "40002": TransactionIntegrityConstraintViolationError,
    "40001": SerializationError,
    "40003": StatementCompletionUnknownError,
    "40P01": DeadlockDetectedError,
    "42000": SyntaxErrorOrAccessRuleViolationError,
    "42601": PostgresSyntaxError,
    "42501": InsufficientPrivilegeError,
    "42846": CannotCoerceError,
    "42803": GroupingError,
    "42P20": WindowingError,
    "42P19": InvalidRecursionError,
    "42830": InvalidForeignKeyError,
    "42602": InvalidNameError,
    "42622": NameTooLongError,
    "42939": ReservedNameError,
    "42804": DatatypeMismatchError,
    "42P18": IndeterminateDatatypeError,
    "42P21": CollationMismatchError,
    "42P22": IndeterminateCollationError,
    "42809": WrongObjectTypeError,
    "428C9": GeneratedAlwaysError,
    "42703": UndefinedColumnError,
    "42883": UndefinedFunctionError,
    "42P01": UndefinedTableError,
    "42P02": UndefinedParameterError,
    "42704": UndefinedObjectError,
    "42701": DuplicateColumnError,
    "42P03": DuplicateCursorError,
    "42P04": DuplicateDatabaseError,
    "42723": DuplicateFunctionError,
    "42P05": DuplicatePreparedStatementError,
    "42P06": DuplicateSchemaError,
    "42P07": DuplicateTableError,
    "42712": DuplicateAliasError,
    "42710": DuplicateObjectError,
    "42702": AmbiguousColumnError,
    "42725": AmbiguousFunctionError,
    "42P08": AmbiguousParameterError,
    "42P09": AmbiguousAliasError,
    "42P10": InvalidColumnReferenceError,
    "42611": InvalidColumnDefinitionError,
    "42P11": InvalidCursorDefinitionError,
    "42P12": InvalidDatabaseDefinitionError,
    "42P13": InvalidFunctionDefinitionError,
    "42P14": InvalidPreparedStatementDefinitionError,
    "42P15": InvalidSchemaDefinitionError,
    "42P16": InvalidTableDefinitionError,
    "42P17": InvalidObjectDefinitionError,
    "44000": WithCheckOptionViolationError,
    "53000": InsufficientResourcesError,
    "53100": DiskFullError,
    "53200": OutOfMemoryError,
    "53300": TooManyConnectionsError,
    "53400": ConfigurationLimitExceededError,
    "54000": ProgramLimitExceededError,
    "54001": StatementTooComplexError,
    "54011": TooManyColumnsError,
    "54023": TooManyArgumentsError,
    "55000": ObjectNotInPrerequisiteStateError,
    "55006": ObjectInUseError,
    "55P02": CantChangeRuntimeParamError,
    "55P03": LockNotAvailableError,
    "55P04": UnsafeNewEnumValueUsageError,
    "57000": OperatorInterventionError,
    "57014": QueryCanceledError,
    "57P01": AdminShutdownError,
    "57P02": CrashShutdownError,
    "57P03": CannotConnectNowError,
    "57P04": DatabaseDroppedError,
    "57P05": IdleSessionTimeoutError,
    "58000": PostgresSystemError,
    "58030": IoError,
    "58P01": UndefinedFileError,
    "58P02": DuplicateFileError,
    "72000": SnapshotTooOldError,
    "F0000": ConfigFileError,
    "F0001": LockFileExistsError,
    "HV000": FdwError,
    "HV005": FdwColumnNameNotFoundError,
    "HV002": FdwDynamicParameterValueNeededError,
    "HV010": FdwFunctionSequenceError,
    "HV021": FdwInconsistentDescriptorInformationError,
    "HV024": FdwInvalidAttributeValueError,
    "HV007": FdwInvalidColumnNameError,
    "HV008": FdwInvalidColumnNumberError,
    "HV004": FdwInvalidDataTypeError,
    "HV006": FdwInvalidDataTypeDescriptorsError,
    "HV091": FdwInvalidDescriptorFieldIdentifierError,
    "HV00B": FdwInvalidHandleError,
    "HV00C": FdwInvalidOptionIndexError,
    "HV00D": FdwInvalidOptionNameError,
    "HV090": FdwInvalidStringLengthOrBufferLengthError,
    "HV00A": FdwInvalidStringFormatError,
    "HV009": FdwInvalidUseOfNullPointerError,
    "HV014": FdwTooManyHandlesError,
    "HV001": FdwOutOfMemoryError,
    "HV00P": FdwNoSchemasError,
    "HV00J": FdwOptionNameNotFoundError,
    "HV00K": FdwReplyHandleError,
    "HV00Q": FdwSchemaNotFoundError,
    "HV00R": FdwTableNotFoundError,
    "HV00L": FdwUnableToCreateExecutionError,
    "HV00M": FdwUnableToCreateReplyError,
    "HV00N": FdwUnableToEstablishConnectionError,
    "P0000": PlpgsqlError,
    "P0001": RaiseExceptionError,
    "P0002": NoDataFoundError,
    "P0003": TooManyRowsError,
    "P0004": AssertError,
    "XX000": PostgresInternalError,
    "XX001": DataCorruptedError,
    "XX002": IndexCorruptedError,
}
