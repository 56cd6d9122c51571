// Brazil's national holidays (Lei 662/1949 as amended by Lei 6.802/1980, Lei 10.607/2002 and Lei 14.759/2023),
// computed, so the default calendar never runs out. Carnival and Corpus Christi are not holidays by federal
// law (a "ponto facultativo" of the federal service), so they are left to the admin who wants them.

/** Easter Sunday of `year` (Gregorian; the anonymous algorithm of Meeus/Jones/Butcher), as "YYYY-MM-DD". */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

const isoDate = (year: number, month: number, day: number): string =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** Brazil's national holidays of `year`, in date order. */
export function brazilNationalHolidays(year: number): string[] {
  const easter = Date.parse(`${easterSunday(year)}T00:00:00Z`);
  const goodFriday = new Date(easter - 2 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  const fixed = [
    [1, 1], // Confraternização Universal
    [4, 21], // Tiradentes
    [5, 1], // Dia do Trabalho
    [9, 7], // Independência
    [10, 12], // Nossa Senhora Aparecida
    [11, 2], // Finados
    [11, 15], // Proclamação da República
    ...(year >= 2024 ? [[11, 20]] : []), // Dia Nacional de Zumbi e da Consciência Negra (Lei 14.759/2023)
    [12, 25], // Natal
  ] as const;
  return [goodFriday, ...fixed.map(([month, day]) => isoDate(year, month, day))].sort();
}
