/**
 * The warehouse's built-in `users` table: 300 deterministic rows (the same on every start), so
 * that models, syncs and their executions have real data to work on. Rows 1–10 are clean, so a
 * test execution of the seed sync (which samples the first rows) passes; further rows carry the
 * problems a real sync meets, at fixed ids (docs/EMULATOR.md lists them):
 * - a missing last name: NULL at ids 23, 41, 58, 77, 96, 118, 141, 167, 203, 244; empty at 131, 262;
 * - an email another row already has: ids 35, 64, 88, 150 (in other letter case), 199, 251, 277, 290;
 * - a value too long for Salesforce: first names over 40 characters at ids 52, 124, 233, last names
 *   over 80 at ids 109, 186;
 * - an invalid email: ids 19, 70, 135, 178, 212, 268.
 */

export interface SampleTable {
  readonly name: string;
  /** Column name → Snowflake type, in order. */
  readonly columns: Readonly<Record<string, string>>;
  readonly rows: readonly (readonly unknown[])[];
}

const FIRST_NAMES = [
  "Ada",
  "Alan",
  "Amara",
  "Ana",
  "Arjun",
  "Bea",
  "Carlos",
  "Chen",
  "Dara",
  "Diego",
  "Elena",
  "Emeka",
  "Farah",
  "Grace",
  "Hana",
  "Ivan",
  "Jonas",
  "Kai",
  "Lena",
  "Leo",
  "Maya",
  "Mei",
  "Nadia",
  "Noor",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Sami",
  "Sofia",
  "Tariq",
  "Uma",
  "Vera",
  "Wei",
  "Yara",
  "Yusuf",
  "Zoe",
  "Liam",
  "Ines",
  "Hugo",
];

const LAST_NAMES = [
  "Abara",
  "Berg",
  "Costa",
  "Diaz",
  "Eze",
  "Fischer",
  "Garcia",
  "Haddad",
  "Ito",
  "Jensen",
  "Kowalski",
  "Lopez",
  "Moreau",
  "Nakamura",
  "Okafor",
  "Petrov",
  "Quispe",
  "Rossi",
  "Silva",
  "Tanaka",
  "Ueda",
  "Varga",
  "Wong",
  "Xu",
  "Yilmaz",
  "Zimmer",
  "Novak",
  "Ahmed",
  "Brown",
  "Kim",
];

const DOMAINS = ["example.com", "example.org", "acme.test", "globex.test", "initech.test"];

const PLANS = ["free", "free", "free", "starter", "starter", "pro", "pro", "enterprise"];

const MISSING_LAST_NAME = [23, 41, 58, 77, 96, 118, 141, 167, 203, 244];
const EMPTY_LAST_NAME = [131, 262];
/** Row id → the id of the earlier row whose email it repeats. */
const DUPLICATE_EMAIL: Readonly<Record<number, number>> = {
  35: 12,
  64: 30,
  88: 47,
  150: 102,
  199: 156,
  251: 220,
  277: 14,
  290: 181,
};
const LONG_FIRST_NAME: Readonly<Record<number, string>> = {
  52: "Maximiliana-Alexandrina-Konstantina-Bartholomea",
  124: "Wolfgang-Amadeus-Johannes-Chrysostomus-Theophilus",
  233: "Anastasia-Evangelina-Seraphina-Philomena-Rose",
};
const LONG_LAST_NAME: Readonly<Record<number, string>> = {
  109: "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafewarenwohlgepflegeundsorgfaltigkeit",
  186: "Featherstonehaugh-Cholmondeley-Marjoribanks-Colquhoun-Farquharson-Auchinleck-Menzies",
};
const INVALID_EMAIL: Readonly<Record<number, string>> = {
  19: "not-an-email",
  70: "jane.doe@",
  135: "@example.com",
  178: "john doe@example.com",
  212: "anna@@example.com",
  268: "pat.smith@example",
};

const ROWS = 300;

/** Mulberry32: a small seeded generator, so every start produces the same rows. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2023, 0, 1);

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

function buildRows(): unknown[][] {
  const random = generator(20250918);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const rows: unknown[][] = [];
  const emails = new Map<number, string>();
  for (let id = 1; id <= ROWS; id += 1) {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const created = FIRST_DAY + Math.floor(random() * 600) * DAY_MS + Math.floor(random() * DAY_MS);
    const active = created + Math.floor(random() * 300) * DAY_MS;
    let email = `${first}.${last}${id}@${pick(DOMAINS)}`.toLowerCase();
    const repeated = DUPLICATE_EMAIL[id];
    if (repeated !== undefined) {
      const earlier = emails.get(repeated) ?? email;
      email = id === 150 ? earlier.toUpperCase() : earlier;
    }
    email = INVALID_EMAIL[id] ?? email;
    emails.set(id, email);
    let lastName: string | null = LONG_LAST_NAME[id] ?? last;
    if (MISSING_LAST_NAME.includes(id)) lastName = null;
    if (EMPTY_LAST_NAME.includes(id)) lastName = "";
    rows.push([
      id,
      email,
      LONG_FIRST_NAME[id] ?? first,
      lastName,
      pick(PLANS),
      isoDate(active),
      isoTimestamp(created),
    ]);
  }
  return rows;
}

export const SAMPLE_USERS: SampleTable = {
  name: "users",
  columns: {
    id: "NUMBER(38,0)",
    email: "VARCHAR",
    first_name: "VARCHAR",
    last_name: "VARCHAR",
    plan: "VARCHAR",
    last_activity_date: "DATE",
    created_at: "TIMESTAMP_NTZ",
  },
  rows: buildRows(),
};
