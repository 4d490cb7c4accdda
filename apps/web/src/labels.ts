import type { Lang } from './i18n';

/* Names of the wire values, in both languages (see shared/DOMAIN.md). */
type Labels = Record<string, [zh: string, en: string]>;

const LABELS = {
  inputKind: {
    problem: ['问题', 'Problem'],
    suggestion: ['建议', 'Suggestion'],
    opinion: ['意见', 'Opinion'],
  },
  meetingStatus: {
    draft: ['草稿', 'Draft'],
    scheduled: ['已安排', 'Scheduled'],
    in_session: ['会议中', 'In session'],
    adjourned: ['已休会', 'Adjourned'],
    closed: ['已结束', 'Closed'],
    cancelled: ['已取消', 'Cancelled'],
  },
  meetingKind: {
    executive: ['常务会议', 'Executive meeting'],
    planning_review: ['规划评审会', 'Planning review'],
    appraisal: ['专项评议', 'Appraisal'],
    assignment: ['交办会', 'Assignment meeting'],
    progress: ['推进会', 'Progress meeting'],
    symposium: ['座谈会', 'Symposium'],
  },
  constituency: {
    deputy: ['人大代表', 'Deputy'],
    cppcc_member: ['政协委员', 'CPPCC member'],
    citizen_rep: ['市民代表', 'Citizen rep.'],
    entrepreneur_rep: ['企业家代表', 'Entrepreneur rep.'],
    expert: ['专家', 'Expert'],
    media: ['媒体', 'Media'],
  },
  invitationStatus: {
    invited: ['已邀请', 'Invited'],
    accepted: ['已接受', 'Accepted'],
    declined: ['已谢绝', 'Declined'],
    checked_in: ['已签到', 'Checked in'],
    attended: ['已列席', 'Attended'],
    absent: ['缺席', 'Absent'],
    withdrawn: ['已撤回', 'Withdrawn'],
  },
  taskState: {
    draft: ['草稿', 'Draft'],
    assigned: ['已交办', 'Assigned'],
    returned: ['已退回', 'Returned'],
    accepted: ['已接收', 'Accepted'],
    in_progress: ['整改中', 'In progress'],
    reply_drafted: ['答复待签发', 'Reply drafted'],
    reply_signed: ['答复待审核', 'Reply signed'],
    reply_reviewed: ['答复待审批', 'Reply reviewed'],
    reply_approved: ['答复已审批', 'Reply approved'],
    replied: ['已答复', 'Replied'],
    evaluated: ['已评价', 'Evaluated'],
    reopened: ['二次办理', 'Reopened'],
    closed: ['已销号', 'Closed'],
  },
  rating: {
    satisfied: ['满意', 'Satisfied'],
    basically_satisfied: ['基本满意', 'Basically satisfied'],
    unsatisfied: ['不满意', 'Unsatisfied'],
  },
  light: { green: ['绿灯', 'Green'], yellow: ['黄灯', 'Yellow'], red: ['红灯', 'Red'] },
  agendaState: { pending: ['待议', 'Pending'], current: ['正在审议', 'Current'], done: ['已议', 'Done'] },
  pollKind: {
    named: ['记名表决', 'Named vote'],
    secret: ['无记名表决', 'Secret vote'],
    satisfaction: ['满意度测评', 'Satisfaction'],
  },
  replyLevel: {
    sign: ['单位签发', 'Signed by the unit head'],
    review: ['政府办审核', 'Reviewed by the office'],
    approve: ['领导审批', 'Approved by the leader'],
  },
  decision: { passed: ['通过', 'passed'], sent_back: ['退回', 'sent back'] },
  role: {
    secretariat: ['秘书处', 'Secretariat'],
    leader: ['领导', 'Leader'],
    unit_handler: ['承办单位', 'Unit'],
    attendee: ['列席人员', 'Attendee'],
    supervisor: ['督查室', 'Supervision office'],
  },
} satisfies Record<string, Labels>;

export type LabelGroup = keyof typeof LABELS;

/** The label of a wire value; the value itself when it has none (e.g. a configured category). */
export function label(lang: Lang, group: LabelGroup, value: string): string {
  const pair = (LABELS[group] as Labels)[value];
  return pair ? pair[lang === 'zh' ? 0 : 1] : value;
}
