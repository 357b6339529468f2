/**
 * The kiosk's voice prompts: one key per step and per spoken instruction of
 * the applicant's journey, each with its caption in Chinese and English. The
 * caption is exactly what the clip says, so a person who cannot hear reads
 * the same words.
 *
 * The edge server serves one clip per key and language at
 * {@linkcode voicePromptPath}; the UI plays it and shows the caption. Clips
 * are generated from these captions (`./kiosk voice build`), or replaced by
 * recordings dropped into the edge's `voice.recordingsDir`.
 *
 * Keys are lower-case words joined by dashes, because they are file names.
 * Face guidance keys are `guidance-` plus the quality gate's guidance code,
 * liveness challenge keys `challenge-` plus the challenge action.
 */

/** Languages of the prompts: the UI's languages. */
export const VOICE_LANGS = ["zh", "en"] as const;

/** One of {@linkcode VOICE_LANGS}. */
export type VoiceLang = (typeof VOICE_LANGS)[number];

/** The caption of one prompt in each language. */
export type VoiceCaptions = Readonly<Record<VoiceLang, string>>;

/** Every prompt, in journey order, with its captions (short, plain sentences for people of any age). */
export const VOICE_PROMPTS = {
  // Idle and start.
  "attract": { zh: "您好！请将身份证放在读卡区，开始核验。", en: "Hello. To start, place your ID card on the reader." },
  "language": { zh: "请选择语言。", en: "Please choose your language." },
  "consent": {
    zh: "请阅读以下说明。同意使用人脸识别，请点同意并开始；不同意，请点去窗口办理。",
    en: "Please read this notice. To use face recognition, touch Agree and start. If you do not agree, touch Decline, go to a staff window.",
  },
  // The card.
  "place-card": { zh: "请将身份证放在读卡区。", en: "Please place your ID card on the reader." },
  "reading": { zh: "正在读卡，请不要移动证件。", en: "Reading your card. Please keep it still." },
  "card-read-failed": { zh: "未能读取证件，请拿起证件，再重新放好。", en: "The card could not be read. Please lift it and place it again." },
  "card-removed": { zh: "证件已移开，本次办理已结束。", en: "Your card was removed. This session has ended." },
  "card-expired": { zh: "您的证件已过有效期，请到窗口办理。", en: "Your card has expired. Please go to a staff window." },
  "card-not-yet-valid": { zh: "您的证件还没有生效，请到窗口办理。", en: "Your card is not valid yet. Please go to a staff window." },
  "card-bad-number": { zh: "无法核对证件号码，请到窗口办理。", en: "The card number cannot be checked. Please go to a staff window." },
  "card-unsupported": { zh: "本机暂不支持这种证件，请到窗口办理。", en: "This kind of card is not supported here. Please go to a staff window." },
  "card-under-age": { zh: "未满规定年龄，不能自助办理，请到窗口办理。", en: "You are under the minimum age for this kiosk. Please go to a staff window." },
  "card-photo-unreadable": { zh: "证件照片无法读取，请到窗口办理。", en: "The photo on your card cannot be read. Please go to a staff window." },
  "card-blocked": { zh: "这张证件不能在本机使用，请到窗口办理。", en: "This card cannot be used here. Please go to a staff window." },
  // The face: positioning, guidance (one per quality gate code), challenge actions, the match.
  "face-start": { zh: "请看摄像头，把脸放在框内。", en: "Please look at the camera and keep your face inside the frame." },
  "guidance-no-face": { zh: "没有看到人脸，请站到摄像头前。", en: "No face is in view. Please stand in front of the camera." },
  "guidance-multiple-faces": { zh: "画面里有多个人，请只留一人。", en: "More than one person is in view. Only one person, please." },
  "guidance-too-far": { zh: "请靠近一点。", en: "Please come a little closer." },
  "guidance-too-close": { zh: "请后退一点。", en: "Please move back a little." },
  "guidance-off-center": { zh: "请把脸移到框的中间。", en: "Please move your face to the middle of the frame." },
  "guidance-face-the-camera": { zh: "请正对摄像头。", en: "Please face the camera straight on." },
  "guidance-too-dark": { zh: "光线太暗，请面向屏幕，不要背对灯光。", en: "It is too dark. Please face the screen, with no bright light behind you." },
  "guidance-too-bright": { zh: "光线太亮，请避开强光。", en: "It is too bright. Please move out of the strong light." },
  "guidance-blurry": { zh: "请保持不动。", en: "Please hold still." },
  "guidance-eyes-closed": { zh: "请睁开眼睛。", en: "Please open your eyes." },
  "challenge-blink": { zh: "请眨眼。", en: "Please blink." },
  "challenge-turn-left": { zh: "请向左转头。", en: "Please turn your head to the left." },
  "challenge-turn-right": { zh: "请向右转头。", en: "Please turn your head to the right." },
  "checking": { zh: "正在核验，请稍候。", en: "Checking, please wait." },
  "retry-not-matched": { zh: "未能确认是本人，请再试一次。", en: "We could not confirm that this is you. Please try again." },
  "retry-not-live": { zh: "活体检测没有通过，请按提示再试一次。", en: "The live check did not pass. Please follow the prompts and try again." },
  "retry-timed-out": { zh: "时间到了，请再试一次。", en: "Time ran out. Please try again." },
  // Matters, signature, the result.
  "matters": { zh: "请确认您要办理的登记事项。", en: "Please confirm the registration matters you are here for." },
  "no-matters": { zh: "没有找到您待确认的登记事项，请到窗口咨询。", en: "No registration matters are waiting for you. Please ask at a staff window." },
  "signature": { zh: "请在框内签名，然后点确认。", en: "Please sign inside the box, then touch Confirm." },
  "saving": { zh: "正在保存，请稍候。", en: "Saving, please wait." },
  "verified": { zh: "核验通过。请取回您的身份证。", en: "Verified. Please take your ID card." },
  "referral": { zh: "请到窗口办理，并向工作人员出示屏幕上的号码。", en: "Please go to a staff window, and show the staff the number on the screen." },
  "declined": { zh: "您选择不使用人脸识别。请到窗口办理。", en: "You chose not to use face recognition. Please go to a staff window." },
  // Time and faults.
  "timeout-warning": { zh: "您还需要时间吗？如需继续，请点屏幕。", en: "Do you need more time? Touch the screen to continue." },
  "session-ended": { zh: "本次办理已结束，请取回您的身份证。", en: "This session has ended. Please take your ID card." },
  "out-of-service": { zh: "本机暂停服务，请到人工窗口办理。", en: "This kiosk is out of service. Please go to a staff window." },
} as const satisfies Record<string, VoiceCaptions>;

/** One key of {@linkcode VOICE_PROMPTS}. */
export type VoicePromptKey = keyof typeof VOICE_PROMPTS;

/** Every prompt key, in journey order. */
export const VOICE_PROMPT_KEYS = Object.keys(VOICE_PROMPTS) as readonly VoicePromptKey[];

/** True when `value` is a prompt key. */
export function isVoicePromptKey(value: string): value is VoicePromptKey {
  return Object.hasOwn(VOICE_PROMPTS, value);
}

/** True when `value` is a prompt language. */
export function isVoiceLang(value: string): value is VoiceLang {
  return (VOICE_LANGS as readonly string[]).includes(value);
}

/** The exact words of prompt `key` in `lang`. */
export function voiceCaption(key: VoicePromptKey, lang: VoiceLang): string {
  return VOICE_PROMPTS[key][lang];
}

/**
 * The URL path at which the edge server serves the clip of `key` in `lang`.
 *
 * @example
 * ```ts
 * voicePromptPath("zh", "consent"); // "/voice/zh/consent"
 * ```
 */
export function voicePromptPath(lang: VoiceLang, key: VoicePromptKey): string {
  return `/voice/${lang}/${key}`;
}
