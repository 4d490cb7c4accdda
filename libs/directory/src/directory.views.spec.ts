import { AccountEntity } from './account.entity';
import { accountView, participantRecord, unitView } from './directory.views';
import { ParticipantEntity } from './participant.entity';
import { UnitEntity } from './unit.entity';

const HASH = 'scrypt$16384$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=';
const CREATED = new Date('2030-01-01T00:00:00Z');

/** An entity as TypeORM hands it over, plus a property a later migration might add. */
function loaded<T extends object>(entity: T, fields: Partial<T>): T {
  return Object.assign(entity, fields, { addedLater: 'not in any view' });
}

describe('directory views', () => {
  it('an account view never carries the password hash', () => {
    const account = loaded(new AccountEntity(), {
      id: 'a1',
      username: 'handler',
      passwordHash: HASH,
      role: 'unit_handler',
      displayName: '经办人',
      unitId: 'u1',
      unitHead: true,
      participantId: null,
      active: true,
      createdAt: CREATED,
    });
    const view = accountView(account);
    expect(view).toEqual({
      id: 'a1',
      username: 'handler',
      role: 'unit_handler',
      displayName: '经办人',
      unitId: 'u1',
      unitHead: true,
      participantId: null,
      active: true,
      createdAt: CREATED,
    });
    expect('passwordHash' in view).toBe(false);
    expect(JSON.stringify(view)).not.toContain(HASH);
    expect(JSON.stringify(view)).not.toContain('scrypt');
  });

  it('a unit view has the fields of GET /units and nothing else', () => {
    const unit = loaded(new UnitEntity(), {
      id: 'u1',
      name: '县金融服务中心',
      kind: 'department',
      headName: null,
      createdAt: CREATED,
    });
    const view = unitView(unit);
    expect(view).toEqual({
      id: 'u1',
      name: '县金融服务中心',
      kind: 'department',
      headName: null,
      createdAt: CREATED,
    });
    expect(view).not.toBeInstanceOf(UnitEntity);
    expect(Object.keys(view)).not.toContain('addedLater');
  });

  it('a participant record keeps the contact (for notices) and drops anything unknown', () => {
    const participant = loaded(new ParticipantEntity(), {
      id: 'p1',
      name: '王建国',
      constituency: 'cppcc_member',
      sector: '医药',
      district: null,
      contact: '+86 138 0000 0001',
      active: true,
      createdAt: CREATED,
    });
    const record = participantRecord(participant);
    expect(record).toEqual({
      id: 'p1',
      name: '王建国',
      constituency: 'cppcc_member',
      sector: '医药',
      district: null,
      contact: '+86 138 0000 0001',
      active: true,
      createdAt: CREATED,
    });
    expect(record).not.toBeInstanceOf(ParticipantEntity);
    expect(Object.keys(record)).not.toContain('addedLater');
  });
});
