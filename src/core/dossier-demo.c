/* dossier-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-demo"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "dossier-auth-private.h"
#include "dossier-demo.h"
#include "dossier-envelope.h"

/* Demo data: a fictional manufacturer of 3D-printed titanium implants and surgical
 * guides, three partner hospitals and a dozen dossiers that between them reach every
 * dossier status, followed on request by synthetic bulk for performance work.
 *
 * Everything is written through the store's public writes, so that the demo data is
 * validated and audited exactly like data a person enters; nothing here writes SQL.
 * The text is data, not interface, so it is in Chinese (with English names where the
 * schema has them) and is not marked for translation.  Every value is fixed or comes
 * from a fixed-seed generator, so two databases seeded with the same count hold the
 * same records (only the store's own timestamps and unit-number year differ). */

#define FIELDS(...) ((const DossierField[]) { __VA_ARGS__, { NULL, NULL } })

/* The synthetic part is reproducible: this seed never changes. */
#define SYNTHETIC_SEED 20250101

/* How often the synthetic loop looks at the cancellable. */
#define CANCEL_CHECK_INTERVAL 1000

/* People --------------------------------------------------------------------- */

/* Audit actors while seeding: who at the manufacturer would enter each record.  They
 * are the demo accounts (dossier_auth_get_demo_users()), so the audit trail and the
 * signatures name people who can sign in, and "the author cannot approve" holds. */
#define ACTOR_REGULATORY "wang.fang"  /* 王芳, registration specialist */
#define ACTOR_DESIGN     "zhang.wei"  /* 张伟, design engineer */
#define ACTOR_DESIGN_2   "zhou.min"   /* 周敏, design engineer */
#define ACTOR_PRODUCTION "chen.hao"   /* 陈浩, process engineer */
#define ACTOR_QA         "li.na"      /* 李娜, QA and release */
#define ACTOR_INSPECTOR  "liu.yang"   /* 刘洋, quality-control inspector */

#define PERSON_DESIGNER    "张伟"
#define PERSON_DESIGNER_2  "周敏"
#define PERSON_OPERATOR    "陈浩"
#define PERSON_INSPECTOR   "刘洋（检验员）"
#define PERSON_RELEASE     "李娜（质量受权人）"
#define PERSON_CONTACT     "张伟（设计工程师）"

/* Reference data -------------------------------------------------------------- */

typedef struct
{
  const char *name_zh;
  const char *name_en;
  const char *licence;
  const char *grade;
  const char *province_code;
  const char *address;
  const char *short_zh;      /* used in delivery and design-input text */
  const char *patient_prefix;
} DemoInstitution;

static const DemoInstitution institutions[] = {
  { "岭南医科大学附属第一医院", "The First Affiliated Hospital of Lingnan Medical University",
    "PDY10234544010419A1001", "三级甲等", "440000", "广东省广州市天河区岭南大道 188 号",
    "岭南医大一院", "LN1" },
  { "申江医科大学附属仁和医院", "Renhe Hospital of Shenjiang Medical University",
    "PDY20418731011217A1002", "三级甲等", "310000", "上海市闵行区申江路 1200 号",
    "仁和医院", "SJR" },
  { "锦城医科大学附属第二医院", "The Second Affiliated Hospital of Jincheng Medical University",
    "PDY30527651010717A1003", "三级甲等", "510000", "四川省成都市武侯区锦城大道 66 号",
    "锦城医大二院", "JC2" },
};

enum { H_LINGNAN, H_SHENJIANG, H_JINCHENG, N_INSTITUTIONS };

/* What each clinician may order, so that synthetic dossiers stay plausible. */
enum
{
  ORDERS_CUP    = 1 << 0,
  ORDERS_PELVIS = 1 << 1,
  ORDERS_HTO    = 1 << 2,
  ORDERS_JAW    = 1 << 3,
};

typedef struct
{
  guint       institution;
  const char *name_zh;
  const char *name_en;
  const char *department;
  const char *title;
  const char *certificate;
  guint       orders;
} DemoClinician;

static const DemoClinician clinicians[] = {
  { H_LINGNAN, "陈志远", "Chen Zhiyuan", "骨科（关节外科）", "主任医师", "110440100012345",
    ORDERS_CUP | ORDERS_PELVIS | ORDERS_HTO },
  { H_LINGNAN, "黄晓岚", "Huang Xiaolan", "骨科（骨肿瘤科）", "副主任医师", "120440100023456",
    ORDERS_PELVIS | ORDERS_CUP },
  { H_LINGNAN, "林嘉豪", "Lin Jiahao", "口腔颌面外科", "主治医师", "141440100034567",
    ORDERS_JAW },
  { H_SHENJIANG, "沈国平", "Shen Guoping", "骨科", "主任医师", "110310000045678",
    ORDERS_CUP | ORDERS_HTO },
  { H_SHENJIANG, "顾佳怡", "Gu Jiayi", "口腔颌面外科", "副主任医师", "120310000056789",
    ORDERS_JAW },
  { H_JINCHENG, "罗文斌", "Luo Wenbin", "骨科（关节外科）", "主任医师", "110510000067890",
    ORDERS_CUP | ORDERS_HTO },
  { H_JINCHENG, "何俊", "He Jun", "骨科（运动医学科）", "主治医师", "141510000089012",
    ORDERS_HTO },
};

enum { C_CHEN, C_HUANG, C_LIN, C_SHEN, C_GU, C_LUO, C_HE, N_CLINICIANS };

typedef enum
{
  PRODUCT_CUP,     /* registered, class III */
  PRODUCT_GUIDE,   /* registered, class II */
  PRODUCT_PELVIS,  /* customized, filed */
} ProductType;

typedef struct
{
  guint       product;   /* index into products[] */
  const char *code;
  /* The name repeats the registered range, as catalogues print it; the binding range
   * is the model's envelope (dossier_envelope_seed_demo()). */
  const char *name;
  guint       orders;    /* the ORDERS_* flag a clinician needs */
} DemoModel;

static const struct
{
  const char *certificate;
  const char *device_class;
  const char *name_zh;
  const char *name_en;
} products[] = {
  { "国械注准20243130417", "3", "3D打印钛合金髋臼杯", "3D-Printed Titanium Alloy Acetabular Cup" },
  { "粤械注准20232180093", "2", "患者匹配截骨导板", "Patient-Matched Osteotomy Guide" },
};

static const DemoModel models[] = {
  { 0, "AC-48", "AC-48 外径 40–50 mm，壁厚 2.0–3.5 mm，孔隙率 60–80 %", ORDERS_CUP },
  { 0, "AC-52", "AC-52 外径 44–58 mm，壁厚 2.0–4.0 mm，孔隙率 60–80 %", ORDERS_CUP },
  { 0, "AC-56", "AC-56 外径 52–60 mm，壁厚 2.5–4.0 mm，孔隙率 60–80 %", ORDERS_CUP },
  { 1, "OG-HTO", "OG-HTO 胫骨高位截骨导板，导向槽宽 1.0–1.5 mm，矫正角 5–15°", ORDERS_HTO },
  { 1, "OG-MAN", "OG-MAN 下颌骨及腓骨瓣截骨导板，导向槽宽 0.8–1.4 mm", ORDERS_JAW },
};

enum { M_AC48, M_AC52, M_AC56, M_HTO, M_MAN, N_MODELS };

static const struct
{
  const char *material;
  const char *lot_no;
  const char *supplier;
  const char *received_on;
} lots[] = {
  { "Ti-6Al-4V ELI 球形粉末（15–53 µm）", "TP2502-017", "宝鸡钛川粉末材料有限公司", "2025-02-20" },
  { "Ti-6Al-4V ELI 球形粉末（15–53 µm）", "TP2507-031", "宝鸡钛川粉末材料有限公司", "2025-07-15" },
  { "Ti-6Al-4V ELI 球形粉末（15–53 µm）", "TP2603-008", "宝鸡钛川粉末材料有限公司", "2026-03-04" },
  { "医用级 PA12 粉末", "PA2504-008", "苏州聚川高分子材料有限公司", "2025-04-10" },
  { "透析纸-塑复合灭菌包装袋", "PK2505-112", "东莞洁护包装材料有限公司", "2025-05-06" },
};

enum { L_TI_2502, L_TI_2507, L_TI_2603, L_PA12, L_POUCH, N_LOTS };

/* Showcase dossiers ------------------------------------------------------------ */

typedef struct
{
  const char *name;
  const char *value;     /* NULL for a categorical parameter */
  const char *unit;
  const char *category;
} DemoParameter;

#define NUM(n, v, u) { n, v, u, NULL }
#define CAT(n, c)    { n, NULL, "", c }
#define PARAM_END    { NULL, NULL, NULL, NULL }

typedef struct
{
  const char          *status;
  ProductType          type;
  guint                clinician;
  guint                model;          /* unused for customized dossiers */
  const char          *patient_code;
  const char          *sex;
  int                  birth_year;
  const char          *ordered_on;
  const char          *condition;
  const char          *treatment_plan;
  const char          *risks;
  const char          *necessity;
  const char          *clinical_data;
  const char          *lesion_site;
  const char          *design_requirements;
  const char          *acceptance_criteria;
  const DemoParameter *parameters;     /* version 1 */
  const DemoParameter *changes;        /* version 2: the parameters that changed, or NULL */
  const char          *change_note;
  const char          *follow_up;      /* used and closed dossiers */
  const char          *notes;          /* cancelled and closed dossiers: why */
  gboolean             rework;         /* failed an inspection and was reworked */
} DemoDossier;

static const DemoParameter d1_params[] = {
  NUM ("outer_diameter", "52.0", "mm"), NUM ("wall_thickness", "2.5", "mm"),
  NUM ("porosity", "70", "%"), NUM ("mean_pore_size", "600", "µm"),
  NUM ("screw_holes", "2", ""), CAT ("material_grade", "Ti-6Al-4V ELI"), PARAM_END
};
static const DemoParameter d1_changes[] = { NUM ("screw_holes", "3", ""), PARAM_END };

static const DemoParameter d2_params[] = {
  NUM ("outer_diameter", "46.0", "mm"), NUM ("wall_thickness", "2.5", "mm"),
  NUM ("porosity", "68", "%"), NUM ("mean_pore_size", "600", "µm"),
  NUM ("screw_holes", "3", ""), CAT ("material_grade", "Ti-6Al-4V ELI"), PARAM_END
};
static const DemoParameter d2_changes[] = { NUM ("outer_diameter", "47.0", "mm"), PARAM_END };

static const DemoParameter d3_params[] = {
  NUM ("defect_span", "86.5", "mm"), NUM ("cup_outer_diameter", "56.0", "mm"),
  NUM ("flange_thickness", "3.0", "mm"), NUM ("porous_layer_thickness", "2.0", "mm"),
  NUM ("porosity", "70", "%"), NUM ("screw_holes", "7", ""),
  CAT ("material_grade", "TC4 (Ti-6Al-4V ELI)"), PARAM_END
};
static const DemoParameter d3_changes[] = {
  NUM ("defect_span", "88.0", "mm"), NUM ("screw_holes", "8", ""), PARAM_END
};

static const DemoParameter d4_params[] = {
  NUM ("slot_width", "1.27", "mm"), NUM ("pin_hole_diameter", "2.5", "mm"),
  NUM ("guide_thickness", "5.0", "mm"), NUM ("correction_angle", "9.5", "°"),
  CAT ("material_grade", "PA12"), PARAM_END
};
static const DemoParameter d4_changes[] = { NUM ("correction_angle", "10.0", "°"), PARAM_END };

static const DemoParameter d5_params[] = {
  NUM ("outer_diameter", "56.0", "mm"), NUM ("wall_thickness", "3.0", "mm"),
  NUM ("porosity", "72", "%"), NUM ("mean_pore_size", "650", "µm"),
  NUM ("screw_holes", "3", ""), CAT ("material_grade", "Ti-6Al-4V ELI"), PARAM_END
};
static const DemoParameter d5_changes[] = { NUM ("wall_thickness", "3.2", "mm"), PARAM_END };

static const DemoParameter d6_params[] = {
  NUM ("defect_span", "72.0", "mm"), NUM ("cup_outer_diameter", "50.0", "mm"),
  NUM ("flange_thickness", "2.8", "mm"), NUM ("porous_layer_thickness", "1.8", "mm"),
  NUM ("porosity", "68", "%"), NUM ("screw_holes", "6", ""),
  CAT ("material_grade", "TC4 (Ti-6Al-4V ELI)"), PARAM_END
};
static const DemoParameter d6_changes[] = { NUM ("flange_thickness", "3.0", "mm"), PARAM_END };

static const DemoParameter d7_params[] = {
  NUM ("slot_width", "1.0", "mm"), NUM ("pin_hole_diameter", "1.6", "mm"),
  NUM ("guide_thickness", "3.0", "mm"), NUM ("resection_length", "42.0", "mm"),
  CAT ("material_grade", "PA12"), PARAM_END
};
static const DemoParameter d7_changes[] = { NUM ("resection_length", "44.0", "mm"), PARAM_END };

/* Dossier 8 is the one to find in a design review: its outer_diameter of 61.0 mm is
 * outside the 44–58 mm that model AC-52 is registered for (see models[] above and its
 * envelope), in both design versions, so its check reports ENV-RANGE and the store
 * will not let it reach design approval.  Everything else about it is ordinary. */
static const DemoParameter d8_params[] = {
  NUM ("outer_diameter", "61.0", "mm"), NUM ("wall_thickness", "3.0", "mm"),
  NUM ("porosity", "70", "%"), NUM ("mean_pore_size", "600", "µm"),
  NUM ("screw_holes", "4", ""), CAT ("material_grade", "Ti-6Al-4V ELI"), PARAM_END
};
static const DemoParameter d8_changes[] = { NUM ("wall_thickness", "3.5", "mm"), PARAM_END };

static const DemoParameter d9_params[] = {
  NUM ("defect_span", "104.0", "mm"), NUM ("cup_outer_diameter", "60.0", "mm"),
  NUM ("flange_thickness", "3.5", "mm"), NUM ("porous_layer_thickness", "2.5", "mm"),
  NUM ("porosity", "70", "%"), NUM ("screw_holes", "9", ""),
  CAT ("material_grade", "TC4 (Ti-6Al-4V ELI)"), PARAM_END
};

static const DemoParameter d11_params[] = {
  NUM ("outer_diameter", "48.0", "mm"), NUM ("wall_thickness", "2.5", "mm"),
  NUM ("porosity", "70", "%"), NUM ("mean_pore_size", "600", "µm"),
  NUM ("screw_holes", "2", ""), CAT ("material_grade", "Ti-6Al-4V ELI"), PARAM_END
};

static const DemoParameter d12_params[] = {
  NUM ("slot_width", "1.27", "mm"), NUM ("pin_hole_diameter", "2.5", "mm"),
  NUM ("guide_thickness", "5.0", "mm"), NUM ("correction_angle", "8.0", "°"),
  CAT ("material_grade", "PA12"), PARAM_END
};

#define CUP_RISKS "感染、假体脱位、假体周围骨折、下肢深静脉血栓、假体松动或移位；术中可能需调整安放角度或改用标准假体"
#define PELVIS_RISKS "感染、大出血、神经血管损伤、假体松动或断裂、伤口愈合不良、肿瘤复发；术中可能需改变重建方式"
#define GUIDE_RISKS "导板贴合不良导致截骨偏差、截骨面热损伤、感染；导板仅术中使用，术毕取出"
#define CUP_DELIVERY "环氧乙烷灭菌、双层无菌包装；手术日前 3 个工作日送达手术室；随货附标签、使用说明及设计确认文件"
#define GUIDE_DELIVERY "环氧乙烷灭菌、双层无菌包装，随附 1:1 骨模型；手术日前 2 个工作日送达"

static const DemoDossier showcase[] = {
  /* 1 */
  { "closed", PRODUCT_CUP, C_SHEN, M_AC52, "SJR-2025-0031", "female", 1961, "2025-02-17",
    "右髋关节发育不良（Crowe II 型）继发骨关节炎，髋臼前上方骨缺损（Paprosky IIB 型）",
    "右侧全髋关节置换术，以患者匹配 3D 打印多孔钛合金髋臼杯重建髋臼缺损",
    CUP_RISKS, "",
    "骨盆薄层 CT（层厚 0.625 mm，DICOM）；双髋正位 X 线片；术前 Harris 评分 41 分",
    "右侧髋臼",
    "外径按 CT 重建确定并在 AC-52 注册规格内；多孔层孔隙率 65–75 %，平均孔径 500–700 µm；外展角 40°、前倾角 15°；预留螺钉孔",
    "外径偏差 ±0.2 mm；壁厚偏差 ±0.15 mm；无裂纹、无残留粉末；无菌检验合格；检验记录与确认的设计版本一致",
    d1_params, d1_changes, "按医生意见将螺钉孔由 2 个增至 3 个，以加强初始稳定",
    "术后 3、6、12 个月复查：假体位置良好，无透亮线、无松动；末次 Harris 评分 89 分",
    "术后 12 个月随访完成，使用记录齐全，档案关闭" },
  /* 2 */
  { "used", PRODUCT_CUP, C_CHEN, M_AC48, "LN1-2025-0107", "female", 1972, "2025-06-09",
    "左侧股骨头缺血性坏死（ARCO IV 期）伴髋臼磨损，髋臼后上壁骨量不足",
    "左侧全髋关节置换术，使用患者匹配 3D 打印多孔钛合金髋臼杯",
    CUP_RISKS, "",
    "骨盆 CT（层厚 0.625 mm）；髋关节 MRI；术前 Harris 评分 52 分",
    "左侧髋臼",
    "外径在 AC-48 注册规格内；后上壁加厚多孔层以填充缺损；孔隙率 65–75 %",
    "外径偏差 ±0.2 mm；壁厚偏差 ±0.15 mm；无裂纹、无残留粉末；无菌检验合格",
    d2_params, d2_changes, "术前模拟显示 46 mm 压配不足，外径调整为 47 mm",
    "术后 6 周复查 X 线片见髋臼杯上缘约 1 mm 透亮线（见不良事件记录）；术后 3 个月复查透亮线未进展，继续随访",
    NULL },
  /* 3 */
  { "delivered", PRODUCT_PELVIS, C_HUANG, 0, "LN1-2025-0163", "male", 1989, "2025-09-22",
    "右侧髂骨软骨肉瘤（Enneking IIA 期），拟行 Enneking II 区为主的骨盆肿瘤整块切除",
    "右侧半骨盆肿瘤切除后，一期植入定制式 3D 打印钛合金骨盆重建假体，恢复髋关节负重",
    PELVIS_RISKS,
    "切除后骨缺损范围大且形态不规则，现有上市的组配式骨盆假体无法与残余骨匹配；该类患者数量少，难以开展临床试验，符合定制式医疗器械适用条件",
    "骨盆增强 CT（层厚 0.625 mm）；骨盆 MRI（确定肿瘤边界）；穿刺病理报告；PET-CT 未见远处转移",
    "右侧髂骨及髋臼（Enneking I+II 区）",
    "按医生确定的截骨平面设计假体；髋臼中心按对侧镜像复位；骨接触面为多孔结构（孔隙率 65–75 %）；配套截骨导板；螺钉通道避开骶髂关节及坐骨大孔",
    "关键尺寸偏差 ±0.2 mm，法兰厚度 3.0 ± 0.15 mm；多孔层无塌陷；无裂纹、无残留粉末；无菌检验合格",
    d3_params, d3_changes, "医工交互会议（腾讯会议，2025-10-03）后扩大截骨范围 1.5 mm，并在坐骨支增加 1 枚螺钉",
    NULL, NULL, TRUE },
  /* 4 */
  { "released", PRODUCT_GUIDE, C_HE, M_HTO, "JC2-2026-0014", "male", 1975, "2026-03-09",
    "左膝内侧间室骨关节炎（K-L III 级）伴胫骨内翻畸形",
    "左侧胫骨高位开放楔形截骨术（HTO），以患者匹配截骨导板控制截骨平面与矫正角度",
    GUIDE_RISKS, "",
    "下肢全长负重位 X 线片；膝关节 CT（层厚 1 mm）；术前 HKA 角 172°",
    "左侧胫骨近端",
    "截骨线距关节面 35 mm，铰链点位于外侧皮质内 10 mm；矫正后下肢力线通过 Fujisawa 点；导板贴合胫骨前内侧面",
    "导向槽宽 1.27 ± 0.05 mm；导板与 1:1 骨模型贴合无翘动；无菌检验合格",
    d4_params, d4_changes, "医生复核力线后将矫正角由 9.5° 调整为 10.0°",
    NULL, NULL },
  /* 5 */
  { "inspection", PRODUCT_CUP, C_LUO, M_AC56, "JC2-2026-0042", "male", 1966, "2026-06-15",
    "左髋关节置换术后 9 年髋臼假体无菌性松动，髋臼骨溶解（Paprosky IIC 型）",
    "左侧髋关节翻修术，取出原髋臼假体，植入患者匹配 3D 打印多孔钛合金髋臼杯并植骨",
    CUP_RISKS, "",
    "骨盆金属伪影抑制 CT（层厚 0.625 mm）；髋关节穿刺培养阴性；红细胞沉降率及 C 反应蛋白正常",
    "左侧髋臼（翻修）",
    "外径在 AC-56 注册规格内；内侧壁加厚以覆盖骨溶解区；螺钉孔朝向髂骨安全区",
    "外径偏差 ±0.2 mm；壁厚偏差 ±0.15 mm；无裂纹、无残留粉末；无菌检验合格",
    d5_params, d5_changes, "根据骨溶解范围将壁厚由 3.0 mm 增至 3.2 mm",
    NULL, NULL },
  /* 6 */
  { "processing", PRODUCT_PELVIS, C_HUANG, 0, "LN1-2026-0058", "female", 1994, "2026-07-20",
    "左侧髋臼周围骨巨细胞瘤术后复发，髋臼上方骨质破坏",
    "左侧髋臼周围肿瘤整块切除，一期定制式 3D 打印钛合金半骨盆假体重建",
    PELVIS_RISKS,
    "复发肿瘤切除后髋臼上方及内侧壁缺损，上市标准假体与组配式翻修系统均无法获得稳定固定，需按患者解剖定制",
    "骨盆增强 CT；骨盆 MRI；既往手术记录及病理切片会诊意见",
    "左侧髋臼（Enneking II 区）",
    "按截骨平面设计假体；髋臼中心按对侧镜像；多孔骨接触面；螺钉通道避开坐骨神经",
    "关键尺寸偏差 ±0.2 mm，法兰厚度 3.0 ± 0.15 mm；无裂纹、无残留粉末；无菌检验合格",
    d6_params, d6_changes, "有限元分析显示法兰应力集中，法兰厚度由 2.8 mm 增至 3.0 mm",
    NULL, NULL },
  /* 7 */
  { "design-approved", PRODUCT_GUIDE, C_GU, M_MAN, "SJR-2026-0077", "male", 1981, "2026-08-24",
    "右侧下颌骨成釉细胞瘤（体部至升支）",
    "右下颌骨节段切除，游离腓骨瓣修复重建；以患者匹配截骨导板控制下颌骨与腓骨截骨",
    GUIDE_RISKS, "",
    "头颈部 CT（层厚 0.625 mm）；双下肢 CTA；病理活检报告",
    "右侧下颌骨体部及升支",
    "下颌骨截骨导板与腓骨截骨导板各一；截骨范围距肿瘤边界 10 mm；腓骨分两段拼接恢复下颌轮廓",
    "导向槽宽 1.0 ± 0.05 mm；导板与 1:1 模型贴合良好；无菌检验合格",
    d7_params, d7_changes, "为保证安全边界，下颌骨切除长度由 42 mm 增至 44 mm",
    NULL, NULL },
  /* 8 */
  { "design-review", PRODUCT_CUP, C_LUO, M_AC52, "JC2-2026-0069", "male", 1958, "2026-09-14",
    "右髋关节发育不良（Crowe III 型）继发重度骨关节炎，髋臼上方大范围骨缺损",
    "右侧全髋关节置换术，患者匹配 3D 打印多孔钛合金髋臼杯重建真臼",
    CUP_RISKS, "",
    "骨盆 CT（层厚 0.625 mm）；双下肢全长 X 线片；下肢不等长 2.8 cm",
    "右侧髋臼",
    "于真臼位置重建旋转中心；为覆盖上方缺损医生要求加大外径；孔隙率 65–75 %",
    "外径偏差 ±0.2 mm；壁厚偏差 ±0.15 mm；无裂纹、无残留粉末；无菌检验合格",
    d8_params, d8_changes, "按医生意见加厚上方壁至 3.5 mm；外径仍为 61.0 mm，待设计评审",
    NULL, NULL },
  /* 9 */
  { "design", PRODUCT_PELVIS, C_CHEN, 0, "LN1-2026-0091", "female", 1955, "2026-10-12",
    "右髋关节多次翻修术后髋臼骨缺损（Paprosky IIIB 型）伴骨盆不连续",
    "右侧髋关节再翻修，植入定制式 3D 打印钛合金髋臼重建假体（三翼固定）",
    PELVIS_RISKS,
    "骨盆不连续合并巨大髋臼缺损，上市的翻修髋臼杯、加强块及 cup-cage 系统均无法获得可靠固定；需按残余骨形态定制",
    "骨盆 CT（金属伪影抑制，层厚 0.625 mm）；既往手术记录；关节穿刺培养阴性",
    "右侧髋臼及髂骨、坐骨、耻骨",
    "髂骨翼、坐骨、耻骨三翼固定；多孔骨接触面；旋转中心恢复至解剖位置",
    "关键尺寸偏差 ±0.2 mm；无裂纹、无残留粉末；无菌检验合格",
    d9_params, NULL, NULL,
    NULL, NULL },
  /* 10 */
  { "order", PRODUCT_GUIDE, C_LIN, M_MAN, "LN1-2026-0102", "female", 1990, "2026-11-02",
    "左侧下颌骨骨化纤维瘤",
    "左下颌骨节段切除，游离腓骨瓣重建；术中使用患者匹配截骨导板",
    GUIDE_RISKS, "",
    "头颈部 CT（层厚 0.625 mm）；双下肢 CTA",
    "左侧下颌骨体部",
    "下颌骨与腓骨截骨导板；保留下牙槽神经管外侧骨皮质",
    "导向槽宽 1.0 ± 0.05 mm；导板与 1:1 模型贴合良好；无菌检验合格",
    NULL, NULL, NULL,
    NULL, NULL },
  /* 11 */
  { "cancelled", PRODUCT_CUP, C_SHEN, M_AC48, "SJR-2026-0012", "female", 1948, "2026-01-12",
    "左髋关节骨关节炎（Tönnis 3 级），髋臼后壁骨缺损",
    "左侧全髋关节置换术，使用患者匹配 3D 打印多孔钛合金髋臼杯",
    CUP_RISKS, "",
    "骨盆 CT（层厚 0.625 mm）；双髋正位 X 线片",
    "左侧髋臼",
    "外径在 AC-48 注册规格内；后壁加厚多孔层",
    "外径偏差 ±0.2 mm；壁厚偏差 ±0.15 mm；无菌检验合格",
    d11_params, NULL, NULL,
    NULL,
    "术前检查发现左髋周围感染（C 反应蛋白与红细胞沉降率升高，穿刺培养阳性），手术取消，订单作废；未开始生产" },
  /* 12 */
  { "used", PRODUCT_GUIDE, C_HE, M_HTO, "JC2-2025-0188", "male", 1970, "2025-11-10",
    "右膝内侧间室骨关节炎（K-L II 级）伴胫骨内翻",
    "右侧胫骨高位开放楔形截骨术，以患者匹配截骨导板控制截骨",
    GUIDE_RISKS, "",
    "下肢全长负重位 X 线片；膝关节 CT（层厚 1 mm）",
    "右侧胫骨近端",
    "截骨线距关节面 35 mm；矫正后力线通过 Fujisawa 点",
    "导向槽宽 1.27 ± 0.05 mm；导板与 1:1 骨模型贴合无翘动；无菌检验合格",
    d12_params, NULL, NULL,
    "术中导板贴合良好，截骨一次完成；术后 6 周复查下肢力线 HKA 181°，截骨间隙愈合中",
    NULL },
};

G_STATIC_ASSERT (G_N_ELEMENTS (showcase) == DOSSIER_DEMO_SHOWCASE_DOSSIERS);

/* The statuses in the order a dossier goes through them; cancelled is off the path. */
static const char *status_path[] = {
  "order", "design", "design-review", "design-approved", "processing", "inspection",
  "released", "delivered", "used", "closed",
};

enum
{
  STAGE_ORDER, STAGE_DESIGN, STAGE_REVIEW, STAGE_APPROVED, STAGE_PROCESSING,
  STAGE_INSPECTION, STAGE_RELEASED, STAGE_DELIVERED, STAGE_USED, STAGE_CLOSED,
};

/* A cancelled showcase dossier had its design confirmed before it was called off. */
#define CANCELLED_AFTER STAGE_APPROVED

static const char *status_reasons[] = {
  NULL,
  "订单资料齐全，开始设计",
  "设计提交临床医生评审",
  "临床医生书面确认设计",
  "设计确认有效，下达生产",
  "生产完成，进入检验",
  "检验合格，质量受权人放行",
  "已交付医疗机构",
  "医疗机构反馈已使用",
  "随访完成，档案关闭",
};

/* Days after the order date at which each product's records fall.  Implants need a
 * week of aeration after ethylene oxide before release; guides are made faster. */
typedef struct
{
  int measured;    /* dimensional and visual inspection */
  int indicator;   /* biological indicator read */
  int released;    /* EO residue measured, unit released */
  int delivered;
  int surgery;
} DemoTimeline;

static const DemoTimeline timelines[] = {
  [PRODUCT_CUP] = { 14, 18, 23, 26, 29 },
  [PRODUCT_GUIDE] = { 10, 13, 18, 19, 22 },
  [PRODUCT_PELVIS] = { 14, 18, 23, 26, 29 },
};

/* Seeding state ---------------------------------------------------------------- */

typedef struct
{
  DossierStore *store;
  GStringChunk *strings;   /* formatted values live until the end of seeding */
  gint64        institution[N_INSTITUTIONS];
  gint64        clinician[N_CLINICIANS];
  gint64        model[N_MODELS];
  gint64        lot[N_LOTS];
  gint64        filing;
  const char   *filing_number;
  guint         confirmation_serial;
  guint         sterilisation_serial;
} Seed;

static const char *
fmt (Seed       *seed,
     const char *format,
     ...) G_GNUC_PRINTF (2, 3);

static const char *
fmt (Seed       *seed,
     const char *format,
     ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  return g_string_chunk_insert (seed->strings, text);
}

static const char *
id_text (Seed   *seed,
         gint64  id)
{
  return fmt (seed, "%" G_GINT64_FORMAT, id);
}

static void
parse_date (const char *iso,
            GDate      *date)
{
  guint y = 0, m = 0, d = 0;
  int n = sscanf (iso, "%4u-%2u-%2u", &y, &m, &d);

  g_assert (n == 3);
  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

/* base + days as YYYY-MM-DD. */
static const char *
day (Seed       *seed,
     const char *base,
     int         days)
{
  GDate date;

  parse_date (base, &date);
  if (days >= 0)
    g_date_add_days (&date, days);
  else
    g_date_subtract_days (&date, -days);

  return fmt (seed, "%04u-%02u-%02u", g_date_get_year (&date), g_date_get_month (&date),
              g_date_get_day (&date));
}

/* base + days at a wall-clock time in China. */
static const char *
stamp (Seed       *seed,
       const char *base,
       int         days,
       const char *time)
{
  return fmt (seed, "%sT%s:00+08:00", day (seed, base, days), time);
}

/* value + delta as a measured value with two decimals, whatever the C locale. */
static const char *
measured (Seed       *seed,
          const char *value,
          double      delta)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return fmt (seed, "%s mm", g_ascii_formatd (buf, sizeof buf, "%.2f", g_ascii_strtod (value, NULL) + delta));
}

static gint64
insert (Seed                *seed,
        const char          *table,
        const DossierField  *fields,
        GError             **error)
{
  gint64 id = dossier_store_insert (seed->store, table, fields, error);

  if (id == 0)
    /* Translators: %s is the name of a database table, such as “patient” */
    g_prefix_error (error, _("Demo data (%s): "), table);

  return id;
}

static gboolean
set_status (Seed        *seed,
            gint64       dossier,
            const char  *status,
            const char  *reason,
            GError     **error)
{
  if (!dossier_store_update (seed->store, "dossier", dossier,
                             FIELDS ({ "status", status }), reason, error))
    {
      g_prefix_error (error, _("Demo data (%s): "), "dossier");
      return FALSE;
    }

  return TRUE;
}

/* A sign-off as the demo's people would have made it, dated within the dossier's
 * history: over the content as seeded so far, which nothing seeded later changes. */
static gboolean
sign (Seed              *seed,
      gint64             dossier,
      DossierSignPoint   point,
      const char        *login,
      const char        *signed_at,
      GError           **error)
{
  if (_dossier_signature_record (seed->store, dossier, point, login, signed_at, NULL, error) == 0)
    {
      g_prefix_error (error, _("Demo data (%s): "), "signature");
      return FALSE;
    }

  return TRUE;
}

/* Reference data --------------------------------------------------------------- */

static gboolean
seed_reference_data (Seed    *seed,
                     GError **error)
{
  gint64 cup, guide;

  dossier_store_set_actor (seed->store, ACTOR_REGULATORY);

  /* 91440112MA5CQ7LD2 is a made-up enterprise (9 1) in Huangpu, Guangzhou (440112);
   * the GB 32100 check character that dossier_validate_uscc() expects for it is 3. */
  if (!insert (seed, "manufacturer",
               FIELDS ({ "name_zh", "广州铸衡医疗科技有限公司" },
                       { "name_en", "Guangzhou Zhuheng Medical Technology Co., Ltd." },
                       { "uscc", "91440112MA5CQ7LD23" },
                       { "production_licence", "粤药监械生产许20160012号" },
                       { "address", "广东省广州市黄埔区科学城开源大道 233 号 A3 栋" },
                       { "contact", "王芳（注册专员）020-3229 8810" }),
               error))
    return FALSE;

  if (!insert (seed, "manufacturing_site",
               FIELDS ({ "manufacturer_id", "1" },
                       { "name", "黄埔科学城增材制造车间（D 级洁净区）" },
                       { "address", "广东省广州市黄埔区科学城开源大道 233 号 A3 栋 2 层" }),
               error) ||
      !insert (seed, "manufacturing_site",
               FIELDS ({ "manufacturer_id", "1" },
                       { "name", "黄埔后处理、清洗包装与灭菌中心（C 级洁净区）" },
                       { "address", "广东省广州市黄埔区科学城开源大道 233 号 B1 栋 1 层" }),
               error))
    return FALSE;

  for (guint i = 0; i < N_INSTITUTIONS; i++)
    {
      const DemoInstitution *h = &institutions[i];

      seed->institution[i] = insert (seed, "institution",
                                     FIELDS ({ "name_zh", h->name_zh },
                                             { "name_en", h->name_en },
                                             { "practising_licence", h->licence },
                                             { "grade", h->grade },
                                             { "province_code", h->province_code },
                                             { "address", h->address }),
                                     error);
      if (seed->institution[i] == 0)
        return FALSE;
    }

  for (guint i = 0; i < N_CLINICIANS; i++)
    {
      const DemoClinician *c = &clinicians[i];

      seed->clinician[i] = insert (seed, "clinician",
                                   FIELDS ({ "institution_id", id_text (seed, seed->institution[c->institution]) },
                                           { "name_zh", c->name_zh },
                                           { "name_en", c->name_en },
                                           { "department", c->department },
                                           { "title", c->title },
                                           { "certificate_no", c->certificate }),
                                   error);
      if (seed->clinician[i] == 0)
        return FALSE;
    }

  cup = insert (seed, "product",
                FIELDS ({ "certificate_no", products[0].certificate },
                        { "device_class", products[0].device_class },
                        { "name_zh", products[0].name_zh },
                        { "name_en", products[0].name_en }),
                error);
  if (cup == 0)
    return FALSE;
  guide = insert (seed, "product",
                  FIELDS ({ "certificate_no", products[1].certificate },
                          { "device_class", products[1].device_class },
                          { "name_zh", products[1].name_zh },
                          { "name_en", products[1].name_en }),
                  error);
  if (guide == 0)
    return FALSE;

  for (guint i = 0; i < N_MODELS; i++)
    {
      seed->model[i] = insert (seed, "product_model",
                               FIELDS ({ "product_id", id_text (seed, models[i].product == 0 ? cup : guide) },
                                       { "code", models[i].code },
                                       { "name", models[i].name }),
                               error);
      if (seed->model[i] == 0)
        return FALSE;
    }

  /* The registered size ranges of these models, as on the registration certificates;
   * the store will not approve a patient-matched design without the one in force. */
  if (!dossier_envelope_seed_demo (seed->store, error))
    {
      g_prefix_error (error, _("Demo data (%s): "), "envelope");
      return FALSE;
    }

  /* Filed with the Guangdong administration together with the partner hospital in
   * Guangzhou, so the number carries 粤 and the filing year. */
  seed->filing_number = "粤械定制备20240003号";
  seed->filing = insert (seed, "filing",
                         FIELDS ({ "number", seed->filing_number },
                                 { "province_code", "440000" },
                                 { "filed_on", "2024-06-18" },
                                 { "status", "filed" },
                                 { "institution_id", id_text (seed, seed->institution[H_LINGNAN]) },
                                 { "device_name", "定制式钛合金骨盆重建假体" },
                                 { "intended_use",
                                   "用于骨盆原发恶性肿瘤或侵袭性肿瘤整块切除后、以及髋关节多次翻修后的大段骨缺损重建，"
                                   "且现有上市产品无法满足临床需求的指定患者；仅限岭南医科大学附属第一医院骨科对指定患者使用" },
                                 { "main_materials",
                                   "TC4 钛合金（Ti-6Al-4V ELI，符合 GB/T 13810 与 ASTM F3001），激光粉末床熔融一体成形，"
                                   "实体结构与多孔骨接触面（孔隙率 60–80 %）；配套已注册钛合金松质骨螺钉" },
                                 { "case_threshold", "30" }),
                         error);
  if (seed->filing == 0)
    return FALSE;

  dossier_store_set_actor (seed->store, ACTOR_PRODUCTION);
  for (guint i = 0; i < N_LOTS; i++)
    {
      seed->lot[i] = insert (seed, "material_lot",
                             FIELDS ({ "material", lots[i].material },
                                     { "lot_no", lots[i].lot_no },
                                     { "supplier", lots[i].supplier },
                                     { "received_on", lots[i].received_on }),
                             error);
      if (seed->lot[i] == 0)
        return FALSE;
    }

  return TRUE;
}

/* Showcase --------------------------------------------------------------------- */

static guint
stage_of (const char *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_path); i++)
    if (g_str_equal (status_path[i], status))
      return i;

  g_assert (g_str_equal (status, "cancelled"));
  return CANCELLED_AFTER;
}

static const char *
lookup_parameter (const DemoParameter *list,
                  const char          *name)
{
  for (const DemoParameter *p = list; p != NULL && p->name != NULL; p++)
    if (g_str_equal (p->name, name))
      return p->value;

  return NULL;
}

static gint64
add_iteration (Seed               *seed,
               const DemoDossier  *d,
               gint64              dossier,
               guint               version,
               const char         *designed_on,
               GError            **error)
{
  const char *designer = d->type == PRODUCT_GUIDE ? PERSON_DESIGNER_2 : PERSON_DESIGNER;
  gint64 iteration;

  iteration = insert (seed, "design_iteration",
                      FIELDS ({ "dossier_id", id_text (seed, dossier) },
                              { "version", fmt (seed, "%u", version) },
                              { "designed_on", designed_on },
                              { "designer", designer },
                              { "software", version == 1 ? "Materialise Mimics" : "Materialise 3-matic" },
                              { "software_version", version == 1 ? "25.0" : "17.0" },
                              { "notes", version == 1 ? "CT 分割与三维重建，按订单完成初始设计" : d->change_note }),
                      error);
  if (iteration == 0)
    return 0;

  /* Version 2 carries every parameter again, with the changed ones replaced. */
  for (const DemoParameter *p = d->parameters; p->name != NULL; p++)
    {
      const char *value = p->value;

      if (version > 1 && lookup_parameter (d->changes, p->name) != NULL)
        value = lookup_parameter (d->changes, p->name);

      if (!insert (seed, "parameter_value",
                   FIELDS ({ "iteration_id", id_text (seed, iteration) },
                           { "name", p->name },
                           { "value", value },
                           { "unit", p->unit },
                           { "category", p->category }),
                   error))
        return 0;
    }

  return iteration;
}

static gboolean
add_design_inputs (Seed               *seed,
                   const DemoDossier  *d,
                   gint64              dossier,
                   GError            **error)
{
  const DemoClinician *c = &clinicians[d->clinician];
  const DemoInstitution *h = &institutions[c->institution];
  const char *third_title;
  const char *third_text;
  const char *third_source;

  if (d->type == PRODUCT_PELVIS)
    {
      third_title = "备案产品设计要求";
      third_text = "主要材料 TC4 钛合金；多孔骨接触面孔隙率 60–80 %；设计须经临床医生书面确认";
      third_source = seed->filing_number;
    }
  else
    {
      third_title = "注册型号技术要求";
      third_text = fmt (seed, "%s；设计参数须在注册规格范围内", models[d->model].name);
      third_source = fmt (seed, "产品技术要求（%s）", products[models[d->model].product].certificate);
    }

  return insert (seed, "design_input",
                 FIELDS ({ "dossier_id", id_text (seed, dossier) },
                         { "title", "影像数据" },
                         { "description", d->clinical_data },
                         { "source", fmt (seed, "%s影像科，PACS 导出 %s", h->short_zh, day (seed, d->ordered_on, -3)) }),
                 error) &&
         insert (seed, "design_input",
                 FIELDS ({ "dossier_id", id_text (seed, dossier) },
                         { "title", "临床设计需求" },
                         { "description", d->design_requirements },
                         { "source", fmt (seed, "制作订单（%s%s，%s）", c->name_zh, c->title, d->ordered_on) }),
                 error) &&
         insert (seed, "design_input",
                 FIELDS ({ "dossier_id", id_text (seed, dossier) },
                         { "title", third_title },
                         { "description", third_text },
                         { "source", third_source }),
                 error);
}

typedef struct
{
  const char *step_type;
  const char *equipment;
  const char *parameters;
  int         lot;        /* index into lots[], or -1 */
  const char *quantity;
  int         start_day;  /* after the order date */
  const char *start_time;
  int         end_day;
  const char *end_time;
} DemoStep;

static gboolean
add_processing (Seed               *seed,
                const DemoDossier  *d,
                gint64              dossier,
                const char         *unit_no,
                guint               version,
                gboolean            finished,
                GError            **error)
{
  GDate ordered;
  int powder;
  const char *sterilisation;
  DemoStep metal[] = {
    { "激光粉末床熔融成形（L-PBF）", "EOS M 290 金属 3D 打印机（设备编号 AM-03）", NULL, -1, "1.6 kg（回用粉比例 30 %）", 12, "08:30", 13, "02:10" },
    { "去应力退火", "真空热处理炉 VHT-2（设备编号 HT-01）",
      "真空度 ≤ 5×10⁻³ Pa；800 ℃ 保温 2 h；随炉冷却至 200 ℃ 以下出炉", -1, NULL, 13, "09:00", 13, "17:40" },
    { "线切割去支撑与数控精加工", "慢走丝线切割机 DK7632；五轴加工中心 DMU 50（设备编号 MC-02）",
      "去除基板与支撑；内球面精加工至 Ra ≤ 0.8 µm；螺钉孔去毛刺", -1, NULL, 14, "08:30", 14, "16:00" },
    /* Only for the unit whose flange failed its first measurement. */
    { "返工：法兰数控修整", "五轴加工中心 DMU 50（设备编号 MC-02）",
      "按不合格品处置单 NC-2025-0047 修整法兰至 3.0 ± 0.15 mm；修整后复检", -1, NULL, 14, "16:30", 14, "18:00" },
    { "超声清洗与初包装", "超声清洗线 UC-1（设备编号 CL-01），C 级洁净区",
      "纯化水超声清洗 3 次 × 15 min；无水乙醇脱水；60 ℃ 热风干燥；双层透析纸-塑袋热封", L_POUCH, "2 只", 15, "09:00", 15, "12:30" },
    { "环氧乙烷灭菌", "环氧乙烷灭菌柜 EO-6（设备编号 ST-01）", NULL, -1, NULL, 15, "14:00", 16, "08:00" },
  };
  DemoStep polymer[] = {
    { "选择性激光烧结成形（SLS）", "EOS P 396 尼龙 3D 打印机（设备编号 AM-07）", NULL, L_PA12, "0.4 kg（新粉比例 50 %）", 9, "08:30", 9, "20:15" },
    { "清粉与喷砂", "喷砂机 SB-2（设备编号 PP-03）", "玻璃珠 100 目；压力 0.3 MPa；逐面检查无残留粉末", -1, NULL, 10, "09:00", 10, "10:30" },
    { "超声清洗与初包装", "超声清洗线 UC-1（设备编号 CL-01），C 级洁净区",
      "纯化水超声清洗 2 次 × 10 min；50 ℃ 热风干燥；双层透析纸-塑袋热封", L_POUCH, "2 只", 10, "13:30", 10, "16:00" },
    { "环氧乙烷灭菌", "环氧乙烷灭菌柜 EO-6（设备编号 ST-01）", NULL, -1, NULL, 10, "17:00", 11, "11:00" },
  };
  DemoStep *steps = d->type == PRODUCT_GUIDE ? polymer : metal;
  guint n_steps = d->type == PRODUCT_GUIDE ? G_N_ELEMENTS (polymer) : G_N_ELEMENTS (metal);

  /* Titanium powder comes from the lot that was in stock when the build ran. */
  parse_date (d->ordered_on, &ordered);
  if (g_date_get_year (&ordered) >= 2026 && g_date_get_month (&ordered) >= G_DATE_APRIL)
    powder = L_TI_2603;
  else if (g_date_get_year (&ordered) >= 2026 || g_date_get_month (&ordered) >= G_DATE_AUGUST)
    powder = L_TI_2507;
  else
    powder = L_TI_2502;

  /* Sterilisation lots are named after the day the cycle started. */
  g_date_add_days (&ordered, d->type == PRODUCT_GUIDE ? 10 : 15);
  seed->sterilisation_serial++;
  sterilisation = fmt (seed, "灭菌批号 EO%02u%02u%02u-%02u；EO 浓度 600 mg/L；50 ℃；相对湿度 60 %%；作用 6 h；解析 ≥ 7 d",
                       g_date_get_year (&ordered) % 100, g_date_get_month (&ordered), g_date_get_day (&ordered),
                       seed->sterilisation_serial);

  if (d->type == PRODUCT_GUIDE)
    {
      polymer[0].parameters = fmt (seed, "构建文件 %s-v%u.sli；层厚 0.12 mm；成形室温度 172 ℃", unit_no, version);
      polymer[3].parameters = sterilisation;
    }
  else
    {
      metal[0].parameters = fmt (seed, "构建文件 %s-v%u.sli；层厚 30 µm；激光功率 280 W；扫描速度 1200 mm/s；"
                                 "成形方向：骨接触面朝上 45°；氩气保护，氧含量 ≤ 0.1 %%", unit_no, version);
      metal[0].lot = powder;
      metal[5].parameters = sterilisation;
    }

  /* A dossier still in processing has its build done and the heat treatment running. */
  if (!finished)
    n_steps = 2;

  for (guint i = 0, position = 0; i < n_steps; i++)
    {
      const DemoStep *s = &steps[i];
      gboolean running = !finished && i == n_steps - 1;
      gint64 step;

      if (s == &metal[3] && !d->rework)
        continue;

      step = insert (seed, "processing_step",
                     FIELDS ({ "dossier_id", id_text (seed, dossier) },
                             { "position", fmt (seed, "%u", ++position) },
                             { "step_type", s->step_type },
                             { "equipment", s->equipment },
                             { "operator", PERSON_OPERATOR },
                             { "started_at", stamp (seed, d->ordered_on, s->start_day, s->start_time) },
                             { "ended_at", running ? NULL : stamp (seed, d->ordered_on, s->end_day, s->end_time) },
                             { "parameters", s->parameters },
                             { "notes", running ? "进行中" : "" }),
                     error);
      if (step == 0)
        return FALSE;

      if (s->lot >= 0 &&
          !insert (seed, "step_material",
                   FIELDS ({ "step_id", id_text (seed, step) },
                           { "lot_id", id_text (seed, seed->lot[s->lot]) },
                           { "quantity", s->quantity }),
                   error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
add_inspection (Seed        *seed,
                gint64       dossier,
                const char  *item,
                const char  *requirement,
                const char  *measured,
                const char  *result,
                const char  *inspected_on,
                GError     **error)
{
  return insert (seed, "inspection",
                 FIELDS ({ "dossier_id", id_text (seed, dossier) },
                         { "item", item },
                         { "requirement", requirement },
                         { "measured", measured },
                         { "result", result },
                         { "inspector", PERSON_INSPECTOR },
                         { "inspected_on", inspected_on }),
                 error) != 0;
}

/* The value a parameter has in the latest design version. */
static const char *
latest_value (const DemoDossier *d,
              const char        *name)
{
  const char *value = lookup_parameter (d->changes, name);

  return value != NULL ? value : lookup_parameter (d->parameters, name);
}

static gboolean
add_inspections (Seed               *seed,
                 const DemoDossier  *d,
                 gint64              dossier,
                 GError            **error)
{
  const DemoTimeline *t = &timelines[d->type];
  const char *measured_on = day (seed, d->ordered_on, t->measured);
  gboolean ok;

  if (d->type == PRODUCT_GUIDE)
    {
      const char *slot = latest_value (d, "slot_width");

      ok = add_inspection (seed, dossier, "尺寸检验（导向槽宽）", fmt (seed, "%s ± 0.05 mm", slot),
                           measured (seed, slot, 0.02), "pass", measured_on, error) &&
           add_inspection (seed, dossier, "模型试配", "与 1:1 骨模型贴合，无翘动、无晃动",
                           "贴合良好", "pass", measured_on, error) &&
           add_inspection (seed, dossier, "外观检验", "无裂纹、无毛刺、无残留粉末，标识清晰",
                           "符合", "pass", measured_on, error);
    }
  else if (d->type == PRODUCT_PELVIS)
    {
      const char *outer = latest_value (d, "cup_outer_diameter");
      const char *flange = latest_value (d, "flange_thickness");

      /* The flange of the reworked unit came out too thick on the first measurement;
       * it was re-machined (a processing step of its own) and measured again, and
       * both inspection records stay in the dossier. */
      if (d->rework)
        ok = add_inspection (seed, dossier, "尺寸检验（法兰厚度）", fmt (seed, "%s ± 0.15 mm", flange),
                             "3.24 mm，超差 +0.09 mm，判定不合格，返工数控修整", "fail", measured_on, error) &&
             add_inspection (seed, dossier, "尺寸检验（法兰厚度，返工后复检）", fmt (seed, "%s ± 0.15 mm", flange),
                             measured (seed, flange, 0.08), "pass", day (seed, d->ordered_on, t->measured + 1), error);
      else
        ok = add_inspection (seed, dossier, "尺寸检验（法兰厚度）", fmt (seed, "%s ± 0.15 mm", flange),
                             measured (seed, flange, 0.05), "pass", measured_on, error);

      ok = ok &&
           add_inspection (seed, dossier, "尺寸检验（髋臼外径）", fmt (seed, "%s ± 0.2 mm", outer),
                           measured (seed, outer, 0.07), "pass", measured_on, error) &&
           add_inspection (seed, dossier, "外观检验", "无裂纹、无毛刺、无残留粉末，多孔结构无塌陷",
                           "符合", "pass", measured_on, error);
    }
  else
    {
      const char *outer = latest_value (d, "outer_diameter");
      const char *wall = latest_value (d, "wall_thickness");

      ok = add_inspection (seed, dossier, "尺寸检验（外径）", fmt (seed, "%s ± 0.2 mm", outer),
                           measured (seed, outer, 0.06), "pass", measured_on, error) &&
           add_inspection (seed, dossier, "尺寸检验（壁厚）", fmt (seed, "%s ± 0.15 mm", wall),
                           measured (seed, wall, -0.04), "pass", measured_on, error) &&
           add_inspection (seed, dossier, "孔隙率（Micro-CT）", "65–75 %",
                           "70.8 %", "pass", measured_on, error) &&
           add_inspection (seed, dossier, "外观检验", "无裂纹、无毛刺、无残留粉末，标识清晰",
                           "符合", "pass", measured_on, error);
    }

  if (!ok)
    return FALSE;

  /* Ethylene oxide: the biological indicator decides sterility; the residue is
   * measured after aeration, which is what holds the release back. */
  return add_inspection (seed, dossier, "无菌检验（生物指示剂）", "生物指示剂培养阴性（GB 18279.1）",
                         "48 h 培养阴性", "pass", day (seed, d->ordered_on, t->indicator), error) &&
         add_inspection (seed, dossier, "环氧乙烷残留量", "≤ 4 mg（GB/T 16886.7）",
                         d->type == PRODUCT_GUIDE ? "0.6 mg" : "0.9 mg", "pass",
                         day (seed, d->ordered_on, t->released), error);
}

static gboolean
seed_showcase_dossier (Seed               *seed,
                       const DemoDossier  *d,
                       GError            **error)
{
  const DemoClinician *c = &clinicians[d->clinician];
  const DemoInstitution *h = &institutions[c->institution];
  gboolean customized = d->type == PRODUCT_PELVIS;
  gboolean guide = d->type == PRODUCT_GUIDE;
  guint target = stage_of (d->status);
  g_autofree char *unit_no = NULL;
  gint64 patient, dossier, iteration = 0;
  guint version = 0;
  GDate ordered;
  const DemoTimeline *t = &timelines[d->type];

  parse_date (d->ordered_on, &ordered);

  dossier_store_set_actor (seed->store, guide ? ACTOR_DESIGN_2 : ACTOR_DESIGN);

  patient = insert (seed, "patient",
                    FIELDS ({ "code", d->patient_code },
                            { "sex", d->sex },
                            { "birth_year", fmt (seed, "%d", d->birth_year) }),
                    error);
  if (patient == 0)
    return FALSE;

  dossier = dossier_store_create_dossier (seed->store,
                                          FIELDS ({ "kind", customized ? "customized" : "patient-matched" },
                                                  { "status", "order" },
                                                  { "institution_id", id_text (seed, seed->institution[c->institution]) },
                                                  { "clinician_id", id_text (seed, seed->clinician[d->clinician]) },
                                                  { "patient_id", id_text (seed, patient) },
                                                  { "filing_id", customized ? id_text (seed, seed->filing) : NULL },
                                                  { "model_id", customized ? NULL : id_text (seed, seed->model[d->model]) },
                                                  { "ordered_on", d->ordered_on },
                                                  { "patient_age", fmt (seed, "%d", g_date_get_year (&ordered) - d->birth_year) },
                                                  { "condition", d->condition },
                                                  { "treatment_plan", d->treatment_plan },
                                                  { "risks", d->risks },
                                                  { "necessity", d->necessity },
                                                  { "clinical_data", d->clinical_data },
                                                  { "lesion_site", d->lesion_site },
                                                  { "design_requirements", d->design_requirements },
                                                  { "delivery_requirements", guide ? GUIDE_DELIVERY : CUP_DELIVERY },
                                                  { "acceptance_criteria", d->acceptance_criteria },
                                                  { "clinician_signed_on", d->ordered_on },
                                                  { "manufacturer_contact", PERSON_CONTACT },
                                                  { "manufacturer_signed_on", day (seed, d->ordered_on, 1) },
                                                  /* Implants stay for good (ten years is the planning
                                                   * figure); a guide leaves the body with the surgery. */
                                                  { "body_days", guide ? "1" : "3650" }),
                                          &unit_no, error);
  if (dossier == 0)
    {
      g_prefix_error (error, _("Demo data (%s): "), "dossier");
      return FALSE;
    }

  if (target >= STAGE_DESIGN)
    {
      if (!add_design_inputs (seed, d, dossier, error) ||
          !set_status (seed, dossier, "design", status_reasons[STAGE_DESIGN], error))
        return FALSE;
      iteration = add_iteration (seed, d, dossier, ++version, day (seed, d->ordered_on, 3), error);
      if (iteration == 0)
        return FALSE;
    }

  if (target >= STAGE_REVIEW)
    {
      if (d->changes != NULL)
        {
          iteration = add_iteration (seed, d, dossier, ++version, day (seed, d->ordered_on, 6), error);
          if (iteration == 0)
            return FALSE;
        }
      if (!set_status (seed, dossier, "design-review", status_reasons[STAGE_REVIEW], error))
        return FALSE;
      /* A peer review: the other engineer reads the design. */
      if (!sign (seed, dossier, DOSSIER_SIGN_POINT_DESIGN_REVIEW, guide ? ACTOR_DESIGN : ACTOR_DESIGN_2,
                 stamp (seed, d->ordered_on, d->changes != NULL ? 7 : 5, "10:20"), error))
        return FALSE;
    }

  if (target >= STAGE_APPROVED)
    {
      seed->confirmation_serial++;
      if (!insert (seed, "design_confirmation",
                   FIELDS ({ "dossier_id", id_text (seed, dossier) },
                           { "iteration_id", id_text (seed, iteration) },
                           { "clinician_id", id_text (seed, seed->clinician[d->clinician]) },
                           { "confirmed_on", day (seed, d->ordered_on, 8) },
                           { "document_no", fmt (seed, "DC-%u-%04u", g_date_get_year (&ordered),
                                                 seed->confirmation_serial) }),
                   error) ||
          !set_status (seed, dossier, "design-approved", status_reasons[STAGE_APPROVED], error) ||
          !sign (seed, dossier, DOSSIER_SIGN_POINT_DESIGN_APPROVAL, ACTOR_QA,
                 stamp (seed, d->ordered_on, 8, "15:45"), error))
        return FALSE;
    }

  if (g_str_equal (d->status, "cancelled"))
    {
      return dossier_store_update (seed->store, "dossier", dossier,
                                   FIELDS ({ "status", "cancelled" }, { "notes", d->notes }),
                                   "医疗机构取消订单", error);
    }

  if (target >= STAGE_PROCESSING)
    {
      dossier_store_set_actor (seed->store, ACTOR_PRODUCTION);
      if (!set_status (seed, dossier, "processing", status_reasons[STAGE_PROCESSING], error) ||
          !add_processing (seed, d, dossier, unit_no, version, target > STAGE_PROCESSING, error))
        return FALSE;
    }

  if (target >= STAGE_INSPECTION)
    {
      /* Inspected by quality control; the QA reviewer, who wrote none of the
       * record, reviews it and is the one to release the unit. */
      dossier_store_set_actor (seed->store, ACTOR_INSPECTOR);
      if (!set_status (seed, dossier, "inspection", status_reasons[STAGE_INSPECTION], error) ||
          !add_inspections (seed, d, dossier, error) ||
          !sign (seed, dossier, DOSSIER_SIGN_POINT_PROCESSING_REVIEW, ACTOR_QA,
                 stamp (seed, d->ordered_on, t->released, "11:00"), error))
        return FALSE;
      dossier_store_set_actor (seed->store, ACTOR_QA);
    }

  if (target >= STAGE_RELEASED)
    {
      const char *basis = customized
        ? fmt (seed, "检验记录齐全，设计确认有效；定制式医疗器械，备案号 %s", seed->filing_number)
        : fmt (seed, "检验记录齐全，设计确认有效；注册证号 %s，型号 %s",
               products[models[d->model].product].certificate, models[d->model].code);

      if (!insert (seed, "release",
                   FIELDS ({ "dossier_id", id_text (seed, dossier) },
                           { "released_by", PERSON_RELEASE },
                           { "released_at", stamp (seed, d->ordered_on, t->released, "16:30") },
                           { "notes", basis }),
                   error) ||
          !sign (seed, dossier, DOSSIER_SIGN_POINT_RELEASE, ACTOR_QA,
                 stamp (seed, d->ordered_on, t->released, "16:30"), error) ||
          !set_status (seed, dossier, "released", status_reasons[STAGE_RELEASED], error))
        return FALSE;
    }

  if (target >= STAGE_DELIVERED)
    {
      dossier_store_set_actor (seed->store, ACTOR_DESIGN);
      if (!insert (seed, "delivery",
                   FIELDS ({ "dossier_id", id_text (seed, dossier) },
                           { "delivered_on", day (seed, d->ordered_on, t->delivered) },
                           { "recipient", fmt (seed, "%s手术室（器械护士签收）", h->name_zh) },
                           { "notes", "常温专人配送；随货附标签、使用说明、检验报告及设计确认文件复印件" }),
                   error) ||
          !set_status (seed, dossier, "delivered", status_reasons[STAGE_DELIVERED], error))
        return FALSE;
    }

  if (target >= STAGE_USED)
    {
      if (!insert (seed, "use_record",
                   FIELDS ({ "dossier_id", id_text (seed, dossier) },
                           { "outcome", "used" },
                           { "surgery_on", day (seed, d->ordered_on, t->surgery) },
                           { "surgeon", c->name_zh },
                           { "consent_ref", fmt (seed, "知情同意书 %s-ZQ", d->patient_code) },
                           { "follow_up", d->follow_up }),
                   error) ||
          !set_status (seed, dossier, "used", status_reasons[STAGE_USED], error))
        return FALSE;

      /* The one adverse event of the showcase: a radiolucent line seen at six weeks,
       * without symptoms; reported as "other" because it is neither a death nor a
       * serious injury. */
      if (g_str_equal (d->status, "used") && d->type == PRODUCT_CUP &&
          !insert (seed, "adverse_event",
                   FIELDS ({ "dossier_id", id_text (seed, dossier) },
                           { "occurred_on", day (seed, d->ordered_on, t->surgery + 42) },
                           { "reported_on", day (seed, d->ordered_on, t->surgery + 47) },
                           { "severity", "other" },
                           { "description",
                             "术后 6 周复查 X 线片见髋臼杯上缘约 1 mm 透亮线，患者无疼痛、无活动受限。"
                             "考虑为骨长入早期的影像学表现，与器械的关联性不能排除，已由生产企业与医疗机构共同上报并加密随访；"
                             "术后 3 个月复查透亮线未进展" }),
                   error))
        return FALSE;
    }

  if (target >= STAGE_CLOSED)
    {
      dossier_store_set_actor (seed->store, ACTOR_QA);
      if (!dossier_store_update (seed->store, "dossier", dossier,
                                 FIELDS ({ "status", "closed" }, { "notes", d->notes }),
                                 status_reasons[STAGE_CLOSED], error))
        return FALSE;
    }

  return TRUE;
}

/* Synthetic bulk ----------------------------------------------------------------- */

/* Synthetic dossiers exist to load lists, search and reports at scale: each has its
 * own patient (a unit is bound to one patient) and a complete order, with kind,
 * status and dates drawn from a fixed-seed generator, but no design, processing or
 * use records behind its status. */

typedef struct
{
  const char *condition;
  const char *treatment_plan;
  const char *lesion_site;
} SyntheticCase;

static const SyntheticCase cup_cases[] = {
  { "髋关节骨关节炎，髋臼骨缺损（Paprosky IIA 型）", "全髋关节置换术，患者匹配髋臼杯", "髋臼" },
  { "髋关节发育不良（Crowe II 型）继发骨关节炎", "全髋关节置换术，患者匹配髋臼杯重建髋臼", "髋臼" },
  { "股骨头缺血性坏死（ARCO IV 期）", "全髋关节置换术，患者匹配髋臼杯", "髋臼" },
  { "髋关节置换术后髋臼假体无菌性松动", "髋关节翻修术，患者匹配髋臼杯并植骨", "髋臼（翻修）" },
};

static const SyntheticCase pelvis_cases[] = {
  { "骨盆软骨肉瘤", "骨盆肿瘤整块切除，定制式骨盆假体重建", "髂骨及髋臼" },
  { "髋臼周围骨巨细胞瘤术后复发", "肿瘤切除，定制式半骨盆假体重建", "髋臼" },
  { "髋关节多次翻修后骨盆不连续", "再翻修，定制式髋臼重建假体", "髋臼及髂骨" },
};

static const SyntheticCase hto_cases[] = {
  { "膝内侧间室骨关节炎伴胫骨内翻", "胫骨高位开放楔形截骨术，患者匹配截骨导板", "胫骨近端" },
  { "膝内翻畸形", "胫骨高位截骨矫形，患者匹配截骨导板", "胫骨近端" },
};

static const SyntheticCase jaw_cases[] = {
  { "下颌骨成釉细胞瘤", "下颌骨节段切除，腓骨瓣重建，患者匹配截骨导板", "下颌骨" },
  { "下颌骨骨化纤维瘤", "下颌骨部分切除，腓骨瓣重建，患者匹配截骨导板", "下颌骨" },
};

/* Synthetic units carry only their order, so they can only be where a new unit may
 * start (the store refuses creating one in a later step, which would skip its
 * gates and sign-offs).  Weights in per mille. */
static const struct
{
  const char *status;
  guint       weight;
} synthetic_statuses[] = {
  { "order", 450 }, { "design", 490 }, { "cancelled", 60 },
};

static const char *
pick_status (GRand *rand)
{
  guint r = (guint)g_rand_int_range (rand, 0, 1000);

  for (guint i = 0; i < G_N_ELEMENTS (synthetic_statuses); i++)
    {
      if (r < synthetic_statuses[i].weight)
        return synthetic_statuses[i].status;
      r -= synthetic_statuses[i].weight;
    }

  return "closed";
}

static gboolean
seed_synthetic (Seed          *seed,
                guint          n,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SYNTHETIC_SEED);
  GDate first;
  const char *actors[] = { ACTOR_DESIGN, ACTOR_DESIGN_2 };

  /* Order dates run from 2025-01-02 over about 22 months. */
  g_date_clear (&first, 1);
  g_date_set_dmy (&first, 2, G_DATE_JANUARY, 2025);

  for (guint i = 0; i < n; i++)
    {
      guint ci = (guint)g_rand_int_range (rand, 0, N_CLINICIANS);
      const DemoClinician *c = &clinicians[ci];
      const DemoInstitution *h = &institutions[c->institution];
      const SyntheticCase *sc;
      gboolean customized = FALSE;
      gboolean guide;
      int model = -1;
      int birth_year, order_year;
      GDate ordered = first;
      char ordered_on[16], signed_on[16];
      char code[32], birth[8], age[8];
      char institution_id[24], clinician_id[24], patient_id[24], ref_id[24];
      gint64 patient;
      guint candidates[N_MODELS];
      guint n_candidates = 0;

      if (i % CANCEL_CHECK_INTERVAL == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      /* A clinician who may order the customized device does so now and then; everyone
       * else orders one of the registered models they work with. */
      if ((c->orders & ORDERS_PELVIS) && c->institution == H_LINGNAN && g_rand_int_range (rand, 0, 100) < 25)
        customized = TRUE;
      else
        {
          for (guint m = 0; m < N_MODELS; m++)
            if (c->orders & models[m].orders)
              candidates[n_candidates++] = m;
          g_assert (n_candidates > 0);
          model = (int)candidates[g_rand_int_range (rand, 0, (gint32)n_candidates)];
        }
      guide = model == M_HTO || model == M_MAN;

      if (customized)
        sc = &pelvis_cases[g_rand_int_range (rand, 0, G_N_ELEMENTS (pelvis_cases))];
      else if (model == M_HTO)
        sc = &hto_cases[g_rand_int_range (rand, 0, G_N_ELEMENTS (hto_cases))];
      else if (model == M_MAN)
        sc = &jaw_cases[g_rand_int_range (rand, 0, G_N_ELEMENTS (jaw_cases))];
      else
        sc = &cup_cases[g_rand_int_range (rand, 0, G_N_ELEMENTS (cup_cases))];

      g_date_add_days (&ordered, (guint)g_rand_int_range (rand, 0, 680));
      g_date_strftime (ordered_on, sizeof ordered_on, "%Y-%m-%d", &ordered);
      order_year = g_date_get_year (&ordered);
      g_date_add_days (&ordered, 1);
      g_date_strftime (signed_on, sizeof signed_on, "%Y-%m-%d", &ordered);
      /* Jaw tumours come younger than worn hips and knees. */
      birth_year = model == M_MAN ? g_rand_int_range (rand, 1960, 2006) : g_rand_int_range (rand, 1940, 1996);

      /* Synthetic patients are told apart from the showcase ones by the S in the code. */
      g_snprintf (code, sizeof code, "%s-S%07u", h->patient_prefix, i + 1);
      g_snprintf (birth, sizeof birth, "%d", birth_year);
      g_snprintf (age, sizeof age, "%d", order_year - birth_year);

      if (i % 1000 == 0)
        dossier_store_set_actor (seed->store, actors[(i / 1000) % G_N_ELEMENTS (actors)]);

      patient = dossier_store_insert (seed->store, "patient",
                                      FIELDS ({ "code", code },
                                              { "sex", g_rand_boolean (rand) ? "female" : "male" },
                                              { "birth_year", birth }),
                                      error);
      if (patient == 0)
        {
          g_prefix_error (error, _("Demo data (%s): "), "patient");
          return FALSE;
        }

      g_snprintf (institution_id, sizeof institution_id, "%" G_GINT64_FORMAT, seed->institution[c->institution]);
      g_snprintf (clinician_id, sizeof clinician_id, "%" G_GINT64_FORMAT, seed->clinician[ci]);
      g_snprintf (patient_id, sizeof patient_id, "%" G_GINT64_FORMAT, patient);
      g_snprintf (ref_id, sizeof ref_id, "%" G_GINT64_FORMAT, customized ? seed->filing : seed->model[model]);

      if (!dossier_store_create_dossier (seed->store,
                                         FIELDS ({ "kind", customized ? "customized" : "patient-matched" },
                                                 { "status", pick_status (rand) },
                                                 { "institution_id", institution_id },
                                                 { "clinician_id", clinician_id },
                                                 { "patient_id", patient_id },
                                                 { customized ? "filing_id" : "model_id", ref_id },
                                                 { "ordered_on", ordered_on },
                                                 { "patient_age", age },
                                                 { "condition", sc->condition },
                                                 { "treatment_plan", sc->treatment_plan },
                                                 { "lesion_site", sc->lesion_site },
                                                 { "clinician_signed_on", ordered_on },
                                                 { "manufacturer_contact", PERSON_CONTACT },
                                                 { "manufacturer_signed_on", signed_on },
                                                 { "body_days", guide ? "1" : "3650" },
                                                 { "notes", "批量合成演示数据" }),
                                         NULL, error))
        {
          g_prefix_error (error, _("Demo data (%s): "), "dossier");
          return FALSE;
        }
    }

  return TRUE;
}

/* Entry point ------------------------------------------------------------------- */

#define DEMO_SETTING "demo.database"

gboolean
dossier_demo_is_demo_database (DossierStore *store)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);

  value = dossier_store_get_setting (store, DEMO_SETTING);
  return g_strcmp0 (value, "1") == 0;
}

gboolean
dossier_demo_seed (DossierStore  *store,
                   guint          count,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autofree char *saved_actor = NULL;
  Seed seed = { 0 };
  gboolean ok = FALSE;
  gint64 n_dossiers;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Demo records mixed into real ones could end up in a filing package, so only an
   * empty database takes them. */
  n_dossiers = dossier_store_count (store, "dossier");
  if (n_dossiers > 0)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The database already has %lu dossier; demo data can only be added to an empty database.",
                                "The database already has %lu dossiers; demo data can only be added to an empty database.",
                                (gulong)n_dossiers),
                   (gulong)n_dossiers);
      return FALSE;
    }
  if (!dossier_store_is_empty (store))
    {
      g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT,
                           _("The database already has a manufacturer or institutions; demo data can only be added to an empty database."));
      return FALSE;
    }

  if (!dossier_store_begin (store, error))
    return FALSE;

  /* The people first, so that the trail and the signatures can name them; the rest
   * is written on their behalf, as the accounts to sign in with do not exist yet
   * for whoever runs the seeding. */
  if (!dossier_auth_seed_demo_users (store, error))
    {
      dossier_store_rollback (store);
      return FALSE;
    }
  _dossier_auth_begin_privileged (store);

  saved_actor = g_strdup (dossier_store_get_actor (store));
  seed.store = store;
  seed.strings = g_string_chunk_new (4096);

  /* Marked, so that the application can say whose database this is. */
  if (!dossier_store_set_setting (store, DEMO_SETTING, "1", NULL, error) ||
      !seed_reference_data (&seed, error))
    goto out;

  for (guint i = 0; i < G_N_ELEMENTS (showcase); i++)
    if (!seed_showcase_dossier (&seed, &showcase[i], error))
      goto out;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  if (count > G_N_ELEMENTS (showcase) &&
      !seed_synthetic (&seed, count - G_N_ELEMENTS (showcase), cancellable, error))
    goto out;

  /* Sealing the audit trail happens in this commit; once it starts it is not
   * cancellable, since a half-sealed trail would only be rolled back anyway. */
  dossier_store_set_actor (store, saved_actor);
  ok = dossier_store_commit (store, error);

out:
  _dossier_auth_end_privileged (store);
  if (!ok)
    dossier_store_rollback (store);
  dossier_store_set_actor (store, saved_actor);
  g_string_chunk_free (seed.strings);

  return ok;
}
