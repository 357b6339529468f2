import type { ResidentCard } from "../resident-card.ts";

/** The resident card in the `syn_cn_readbase_*` vectors, as the vector README describes it. */
export const SYNTHETIC_RESIDENT_CARD: ResidentCard = {
  cardType: "resident",
  name: "测试甲",
  sex: "male",
  ethnicityCode: "01",
  ethnicity: "汉",
  birthDate: "1980-01-01",
  address: "北京市东城区测试路１号",
  idNumber: "110101198001010037",
  issuer: "北京市公安局东城分局",
  validFrom: "2020-01-01",
  validUntil: "long-term",
};
