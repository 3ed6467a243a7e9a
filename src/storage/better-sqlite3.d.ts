// The small part of better-sqlite3's API the SQLite backend uses (the
// package ships no types and @types/better-sqlite3 is not a dependency).
declare module 'better-sqlite3' {
  namespace Database {
    interface Statement {
      run: (...params: unknown[]) => { changes: number }
      get: (...params: unknown[]) => unknown
      all: (...params: unknown[]) => unknown[]
      pluck: (toggle?: boolean) => Statement
      raw: (toggle?: boolean) => Statement
    }
    interface Database {
      readonly inTransaction: boolean
      readonly open: boolean
      prepare: (sql: string) => Statement
      exec: (sql: string) => Database
      pragma: (sql: string, options?: { simple?: boolean }) => unknown
      close: () => Database
    }
    interface Options {
      readonly?: boolean
      fileMustExist?: boolean
      timeout?: number
    }
  }
  const Database: new (filename: string, options?: Database.Options) => Database.Database
  export = Database
}
