using System.Globalization;

namespace RollbackVerifier.Sqlite;

/// <summary>Names of SQLite result codes (https://sqlite.org/rescode.html), for error reports such as "SQLITE_CONSTRAINT_CHECK(275)".</summary>
internal static class SqliteErrorCodes
{
    private static readonly Dictionary<int, string> Names = new()
    {
        [0] = "SQLITE_OK",
        [1] = "SQLITE_ERROR",
        [2] = "SQLITE_INTERNAL",
        [3] = "SQLITE_PERM",
        [4] = "SQLITE_ABORT",
        [5] = "SQLITE_BUSY",
        [6] = "SQLITE_LOCKED",
        [7] = "SQLITE_NOMEM",
        [8] = "SQLITE_READONLY",
        [9] = "SQLITE_INTERRUPT",
        [10] = "SQLITE_IOERR",
        [11] = "SQLITE_CORRUPT",
        [12] = "SQLITE_NOTFOUND",
        [13] = "SQLITE_FULL",
        [14] = "SQLITE_CANTOPEN",
        [15] = "SQLITE_PROTOCOL",
        [16] = "SQLITE_EMPTY",
        [17] = "SQLITE_SCHEMA",
        [18] = "SQLITE_TOOBIG",
        [19] = "SQLITE_CONSTRAINT",
        [20] = "SQLITE_MISMATCH",
        [21] = "SQLITE_MISUSE",
        [22] = "SQLITE_NOLFS",
        [23] = "SQLITE_AUTH",
        [24] = "SQLITE_FORMAT",
        [25] = "SQLITE_RANGE",
        [26] = "SQLITE_NOTADB",
        [27] = "SQLITE_NOTICE",
        [28] = "SQLITE_WARNING",
        [100] = "SQLITE_ROW",
        [101] = "SQLITE_DONE",
        [257] = "SQLITE_ERROR_MISSING_COLLSEQ",
        [513] = "SQLITE_ERROR_RETRY",
        [769] = "SQLITE_ERROR_SNAPSHOT",
        [516] = "SQLITE_ABORT_ROLLBACK",
        [261] = "SQLITE_BUSY_RECOVERY",
        [517] = "SQLITE_BUSY_SNAPSHOT",
        [773] = "SQLITE_BUSY_TIMEOUT",
        [262] = "SQLITE_LOCKED_SHAREDCACHE",
        [518] = "SQLITE_LOCKED_VTAB",
        [264] = "SQLITE_READONLY_RECOVERY",
        [520] = "SQLITE_READONLY_CANTLOCK",
        [776] = "SQLITE_READONLY_ROLLBACK",
        [1032] = "SQLITE_READONLY_DBMOVED",
        [1288] = "SQLITE_READONLY_CANTINIT",
        [1544] = "SQLITE_READONLY_DIRECTORY",
        [266] = "SQLITE_IOERR_READ",
        [522] = "SQLITE_IOERR_SHORT_READ",
        [778] = "SQLITE_IOERR_WRITE",
        [1034] = "SQLITE_IOERR_FSYNC",
        [2570] = "SQLITE_IOERR_DELETE",
        [3338] = "SQLITE_IOERR_NOMEM",
        [267] = "SQLITE_CORRUPT_VTAB",
        [523] = "SQLITE_CORRUPT_SEQUENCE",
        [779] = "SQLITE_CORRUPT_INDEX",
        [270] = "SQLITE_CANTOPEN_NOTEMPDIR",
        [526] = "SQLITE_CANTOPEN_ISDIR",
        [782] = "SQLITE_CANTOPEN_FULLPATH",
        [275] = "SQLITE_CONSTRAINT_CHECK",
        [531] = "SQLITE_CONSTRAINT_COMMITHOOK",
        [787] = "SQLITE_CONSTRAINT_FOREIGNKEY",
        [1043] = "SQLITE_CONSTRAINT_FUNCTION",
        [1299] = "SQLITE_CONSTRAINT_NOTNULL",
        [1555] = "SQLITE_CONSTRAINT_PRIMARYKEY",
        [1811] = "SQLITE_CONSTRAINT_TRIGGER",
        [2067] = "SQLITE_CONSTRAINT_UNIQUE",
        [2323] = "SQLITE_CONSTRAINT_VTAB",
        [2579] = "SQLITE_CONSTRAINT_ROWID",
        [2835] = "SQLITE_CONSTRAINT_PINNED",
        [3091] = "SQLITE_CONSTRAINT_DATATYPE",
        [279] = "SQLITE_AUTH_USER",
        [283] = "SQLITE_NOTICE_RECOVER_WAL",
        [539] = "SQLITE_NOTICE_RECOVER_ROLLBACK",
        [284] = "SQLITE_WARNING_AUTOINDEX",
    };

    /// <summary>"NAME(code)" for the most specific known name of <paramref name="extendedCode"/>.</summary>
    public static string Describe(int primaryCode, int extendedCode)
    {
        var code = extendedCode != 0 ? extendedCode : primaryCode;
        var name = Names.GetValueOrDefault(code) ?? Names.GetValueOrDefault(code & 0xFF) ?? Names.GetValueOrDefault(primaryCode) ?? "SQLITE";
        return name + "(" + code.ToString(CultureInfo.InvariantCulture) + ")";
    }
}
