/**
 * Every text the applicant sees, in Chinese and English. Chinese is the
 * default; the language button on every screen switches.
 */

/** Languages of the UI. */
export type Lang = "zh" | "en";

const zh = {
  "app.title": "实名核验自助终端",
  "app.subtitle": "企业登记实名认证",
  "lang.switch": "English",
  "lang.switchLabel": "Switch to English",
  "starting.title": "正在启动，请稍候",
  "insert.title": "请将身份证放在读卡区",
  "insert.body": "支持居民身份证、港澳台居民居住证、外国人永久居留身份证",
  "insert.hint": "读卡区位于屏幕下方，放好后请勿移动证件",
  "oos.title": "本机暂停服务",
  "oos.body": "请到人工窗口办理实名核验，给您带来不便，敬请谅解",
  "oos.reader": "读卡器暂不可用",
  "oos.camera": "摄像头暂不可用",
  "oos.server": "终端服务未响应",
  "status.kiosk": "终端编号",
  "status.online": "已连接",
  "status.offline": "离线工作中",
} as const;

type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  "app.title": "Identity verification kiosk",
  "app.subtitle": "Real-name verification for company registration",
  "lang.switch": "中文",
  "lang.switchLabel": "切换到中文",
  "starting.title": "Starting, please wait",
  "insert.title": "Please place your ID card on the reader",
  "insert.body": "Resident ID cards, residence permits for Hong Kong, Macao and Taiwan residents, and foreign permanent resident ID cards are accepted",
  "insert.hint": "The reader is below the screen. Keep the card still once it is in place",
  "oos.title": "This kiosk is out of service",
  "oos.body": "Please go to a staff window for manual verification. We apologise for the inconvenience",
  "oos.reader": "The card reader is not available",
  "oos.camera": "The camera is not available",
  "oos.server": "The kiosk service is not responding",
  "status.kiosk": "Kiosk",
  "status.online": "Connected",
  "status.offline": "Working offline",
};

const MESSAGES: Record<Lang, Record<MessageKey, string>> = { zh, en };

/** The text for `key` in `lang`. */
export function t(lang: Lang, key: MessageKey): string {
  return MESSAGES[lang][key];
}

/** The `lang` attribute value for `lang`. */
export function htmlLang(lang: Lang): string {
  return lang === "zh" ? "zh-CN" : "en";
}

export type { MessageKey };
