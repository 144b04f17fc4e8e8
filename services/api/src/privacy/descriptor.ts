// The descriptor is the domain's (pure, shared by every process that reads events).
export {
  ERASED_EMAIL,
  ERASED_NAME,
  ERASED_TEXT,
  describePersonalData,
  normalizeEmail,
  normalizeName,
  personalEventTypes,
  subjectIds,
  subjectsOf,
} from '@convene/domain';
