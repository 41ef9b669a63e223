// Question types (intent cues), from the language: what the caller asks about
// an object, not the object.  A phrasing may carry several; the ranking favours
// a phrasing that asks the same type as the query (docs/knowledge.md).
#pragma once

#include <string>
#include <vector>

namespace hotline::detail::kb {

struct intent_def {
  const char* name;
  std::vector<std::u32string> cues;
};
inline const std::vector<intent_def>& intent_defs() {
  static const std::vector<intent_def> d = {
      {"cost", {U"价格", U"费用", U"收费", U"贵", U"便宜", U"报销", U"免费", U"钱"}},
      {"where", {U"哪里", U"哪家", U"哪个医院", U"买到", U"买得到", U"购买", U"去哪", U"地址"}},
      {"how-many", {U"几针", U"几次", U"多少次", U"几天", U"多久", U"疗程", U"几个月", U"几年", U"几岁", U"多大"}},
      {"dosage", {U"用量", U"剂量", U"用法", U"吃多少", U"用多少", U"几粒", U"几片", U"一次吃", U"一天吃"}},
      {"why", {U"为什么", U"原因", U"引起", U"导致", U"怎么回事", U"诱因"}},
      {"side-effect", {U"副作用", U"危害", U"伤害", U"后遗症"}},
      {"symptom", {U"症状", U"感觉", U"会不会得", U"有什么表现"}},
      {"effect", {U"效果", U"有效", U"管用", U"见效", U"好用", U"疗效", U"功效", U"作用", U"主治", U"功能"}},
      {"diet", {U"饮食", U"忌口", U"食物", U"能吃什么", U"吃什么好", U"喝酒", U"水果", U"营养"}},
      {"contagious", {U"传染", U"遗传", U"隔离", U"传播"}},
      {"compare", {U"区别", U"哪个好", U"不同", U"一样吗", U"还是"}},
      {"when", {U"什么时候", U"何时", U"时间", U"多长时间", U"期限"}},
      {"can", {U"可以", U"是否", U"要不要", U"需要", U"必须"}},
      {"how", {U"怎么办", U"怎么治疗", U"治疗方法", U"治疗", U"怎么", U"方法"}},
      {"treat-drug", {U"吃什么药", U"药物", U"什么药"}},
      {"prevent", {U"预防", U"避免", U"防止"}},
      {"cure", {U"治好", U"根治", U"治愈", U"痊愈", U"好转", U"恢复"}},
      {"pregnancy", {U"孕期", U"孕妇", U"怀孕", U"哺乳期", U"备孕"}},
      {"child", {U"孩子", U"婴儿", U"新生儿"}},
      {"check", {U"检查", U"化验", U"拍片", U"确诊", U"诊断", U"ct"}},
      {"validity", {U"有效期", U"到期", U"续约", U"期满"}},
      {"signing", {U"签约", U"签", U"解约"}},
      {"material", {U"带什么", U"材料", U"证件", U"身份证"}},
  };
  return d;
}

}  // namespace hotline::detail::kb
