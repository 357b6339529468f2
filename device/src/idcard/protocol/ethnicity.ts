/**
 * GB 3304 民族 (ethnicity) codes as carried in the nation field of resident
 * ID cards (spec §6.1 field 3, §6.6): 01–56 for the 56 recognised ethnic
 * groups, 97 for other or unidentified, 98 for Chinese citizens of foreign
 * origin. Non-standard codes seen in some SDKs (57, 59, …) are not listed:
 * the parser keeps the raw code and leaves the name out (spec §6.6).
 */

/** One ethnicity. */
export interface Ethnicity {
  /** Name as in spec §6.6, without the 族 suffix, e.g. `汉`. */
  readonly name: string;
  /** GB 3304 romanization, e.g. `Han`. */
  readonly romanized: string;
  /** Whether the usual display form appends 族 (not for 97 and 98). */
  readonly suffix: boolean;
}

/** The GB 3304 table, keyed by the two-digit code as it appears on the card. */
export const ETHNICITIES = {
  "01": { name: "汉", romanized: "Han", suffix: true },
  "02": { name: "蒙古", romanized: "Mongol", suffix: true },
  "03": { name: "回", romanized: "Hui", suffix: true },
  "04": { name: "藏", romanized: "Zang", suffix: true },
  "05": { name: "维吾尔", romanized: "Uygur", suffix: true },
  "06": { name: "苗", romanized: "Miao", suffix: true },
  "07": { name: "彝", romanized: "Yi", suffix: true },
  "08": { name: "壮", romanized: "Zhuang", suffix: true },
  "09": { name: "布依", romanized: "Buyei", suffix: true },
  "10": { name: "朝鲜", romanized: "Chosen", suffix: true },
  "11": { name: "满", romanized: "Man", suffix: true },
  "12": { name: "侗", romanized: "Dong", suffix: true },
  "13": { name: "瑶", romanized: "Yao", suffix: true },
  "14": { name: "白", romanized: "Bai", suffix: true },
  "15": { name: "土家", romanized: "Tujia", suffix: true },
  "16": { name: "哈尼", romanized: "Hani", suffix: true },
  "17": { name: "哈萨克", romanized: "Kazak", suffix: true },
  "18": { name: "傣", romanized: "Dai", suffix: true },
  "19": { name: "黎", romanized: "Li", suffix: true },
  "20": { name: "傈僳", romanized: "Lisu", suffix: true },
  "21": { name: "佤", romanized: "Va", suffix: true },
  "22": { name: "畲", romanized: "She", suffix: true },
  "23": { name: "高山", romanized: "Gaoshan", suffix: true },
  "24": { name: "拉祜", romanized: "Lahu", suffix: true },
  "25": { name: "水", romanized: "Sui", suffix: true },
  "26": { name: "东乡", romanized: "Dongxiang", suffix: true },
  "27": { name: "纳西", romanized: "Naxi", suffix: true },
  "28": { name: "景颇", romanized: "Jingpo", suffix: true },
  "29": { name: "柯尔克孜", romanized: "Kirgiz", suffix: true },
  "30": { name: "土", romanized: "Tu", suffix: true },
  "31": { name: "达斡尔", romanized: "Daur", suffix: true },
  "32": { name: "仫佬", romanized: "Mulao", suffix: true },
  "33": { name: "羌", romanized: "Qiang", suffix: true },
  "34": { name: "布朗", romanized: "Blang", suffix: true },
  "35": { name: "撒拉", romanized: "Salar", suffix: true },
  "36": { name: "毛南", romanized: "Maonan", suffix: true },
  "37": { name: "仡佬", romanized: "Gelao", suffix: true },
  "38": { name: "锡伯", romanized: "Xibe", suffix: true },
  "39": { name: "阿昌", romanized: "Achang", suffix: true },
  "40": { name: "普米", romanized: "Pumi", suffix: true },
  "41": { name: "塔吉克", romanized: "Tajik", suffix: true },
  "42": { name: "怒", romanized: "Nu", suffix: true },
  "43": { name: "乌孜别克", romanized: "Uzbek", suffix: true },
  "44": { name: "俄罗斯", romanized: "Russ", suffix: true },
  "45": { name: "鄂温克", romanized: "Ewenki", suffix: true },
  "46": { name: "德昂", romanized: "Deang", suffix: true },
  "47": { name: "保安", romanized: "Bonan", suffix: true },
  "48": { name: "裕固", romanized: "Yugur", suffix: true },
  "49": { name: "京", romanized: "Gin", suffix: true },
  "50": { name: "塔塔尔", romanized: "Tatar", suffix: true },
  "51": { name: "独龙", romanized: "Derung", suffix: true },
  "52": { name: "鄂伦春", romanized: "Oroqen", suffix: true },
  "53": { name: "赫哲", romanized: "Hezhen", suffix: true },
  "54": { name: "门巴", romanized: "Monba", suffix: true },
  "55": { name: "珞巴", romanized: "Lhoba", suffix: true },
  "56": { name: "基诺", romanized: "Jino", suffix: true },
  "97": { name: "其他", romanized: "Other", suffix: false },
  "98": { name: "外国血统中国籍人士", romanized: "Chinese citizen of foreign origin", suffix: false },
} as const satisfies Record<string, Ethnicity>;

/** A two-digit GB 3304 code listed in {@linkcode ETHNICITIES}. */
export type EthnicityCode = keyof typeof ETHNICITIES;

// The suffix that display forms append to the group name (spec §6.6).
const ETHNICITY_SUFFIX = "族";

/** Looks up a two-digit code; `undefined` for codes outside GB 3304. */
export function lookupEthnicity(code: string): Ethnicity | undefined {
  return Object.hasOwn(ETHNICITIES, code) ? ETHNICITIES[code as EthnicityCode] : undefined;
}

/**
 * The usual display form, e.g. `汉族` for `01`, `其他` for `97`.
 *
 * @returns `undefined` for codes outside GB 3304.
 */
export function ethnicityDisplayName(code: string): string | undefined {
  const ethnicity = lookupEthnicity(code);
  if (!ethnicity) return undefined;
  return ethnicity.suffix ? ethnicity.name + ETHNICITY_SUFFIX : ethnicity.name;
}
