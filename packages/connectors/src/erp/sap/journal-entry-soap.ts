import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * SAP S/4HANA Cloud posts journal entries through the synchronous SOAP service
 * JournalEntryCreateRequestConfirmation_In (communication scenario SAP_COM_0002), not OData. The
 * mapping gives the document in a JSON form of the SOAP `JournalEntry` (same element names, with the
 * transaction currency once at the top instead of a `currencyCode` attribute on every amount); this
 * module turns it into the `JournalEntryBulkCreateRequest` envelope and reads SAP's confirmation.
 */

export const JOURNAL_ENTRY_SOAP_PATH = '/sap/bc/srt/scs_ext/sap/journalentrycreaterequestconfi';
export const SOAP_ACTION = 'http://sap.com/xi/SAPSCORE/SFIN/JournalEntryCreateRequestConfirmation_In/JournalEntryCreateRequestConfirmation_InRequest';
const SFIN = 'http://sap.com/xi/SAPSCORE/SFIN';
const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';

/** Header elements in the order of the service's XML schema (a SOAP runtime checks the sequence). */
const HEADER_ORDER = [
  'OriginalReferenceDocumentType',
  'OriginalReferenceDocument',
  'OriginalReferenceDocumentLogicalSystem',
  'BusinessTransactionType',
  'AccountingDocumentType',
  'DocumentReferenceID',
  'DocumentHeaderText',
  'CreatedByUser',
  'CompanyCode',
  'DocumentDate',
  'PostingDate',
  'TaxDeterminationDate',
] as const;
const ITEM_ORDER = ['ReferenceDocumentItem', 'GLAccount', 'AmountInTransactionCurrency', 'DebitCreditCode', 'DocumentItemText', 'AssignmentReference', 'AccountAssignment', 'Tax'] as const;
const ASSIGNMENT_ORDER = ['CostCenter', 'ProfitCenter', 'WBSElement', 'OrderID'] as const;

export class JournalEntryPayloadError extends Error {}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const present = (v: unknown) => v !== undefined && v !== null && v !== '';

function scalar(path: string, v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new JournalEntryPayloadError(`${path} must be a string or number, got ${JSON.stringify(v)}`);
}

/** Copies the known elements in schema order; an element the service does not have is an error naming it. */
function ordered(path: string, source: Json, order: readonly string[], convert: (key: string, value: unknown) => unknown): Json {
  const unknown = Object.keys(source).filter((k) => !order.includes(k));
  if (unknown.length) throw new JournalEntryPayloadError(`${path}${unknown[0]} is not an element of JournalEntry (known: ${order.join(', ')})`);
  const out: Json = {};
  for (const key of order) if (present(source[key])) out[key] = convert(key, source[key]);
  return out;
}

function amount(path: string, v: unknown): string {
  const text = scalar(path, v);
  if (!/^-?\d{1,15}(\.\d{1,6})?$/.test(text)) throw new JournalEntryPayloadError(`${path} must be a decimal amount, got ${JSON.stringify(v)}`);
  return text;
}

/** The request envelope for one document. `messageId` lets SAP recognise a re-sent request. */
export function buildJournalEntryEnvelope(payload: unknown, options: { messageId: string; createdByUser?: string; now: Date }): string {
  if (!isObject(payload)) throw new JournalEntryPayloadError('the journal entry payload must be an object');
  const { TransactionCurrency: currency, Item: items, ...header } = payload;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) throw new JournalEntryPayloadError(`TransactionCurrency must be an ISO currency code, got ${JSON.stringify(currency)}`);
  if (!Array.isArray(items) || items.length === 0) throw new JournalEntryPayloadError('Item must be a non-empty list of journal entry items');
  const defaults = { OriginalReferenceDocumentType: 'BKPFF', BusinessTransactionType: 'RFBU', AccountingDocumentType: 'SA', ...(options.createdByUser ? { CreatedByUser: options.createdByUser } : {}) };
  const entry = ordered('', { ...defaults, ...header }, HEADER_ORDER, (key, value) => scalar(key, value));
  entry.Item = items.map((raw, i) => {
    const path = `Item[${i}].`;
    if (!isObject(raw)) throw new JournalEntryPayloadError(`${path.slice(0, -1)} must be an object`);
    return ordered(path, raw, ITEM_ORDER, (key, value) => {
      if (key === 'AmountInTransactionCurrency') return { '@currencyCode': currency, '#text': amount(`${path}${key}`, value) };
      if (key === 'AccountAssignment') {
        if (!isObject(value)) throw new JournalEntryPayloadError(`${path}AccountAssignment must be an object`);
        return ordered(`${path}AccountAssignment.`, value, ASSIGNMENT_ORDER, (k, v) => scalar(`${path}AccountAssignment.${k}`, v));
      }
      if (key === 'Tax') {
        if (!isObject(value)) throw new JournalEntryPayloadError(`${path}Tax must be an object`);
        return ordered(`${path}Tax.`, value, ['TaxCode'], (k, v) => scalar(`${path}Tax.${k}`, v));
      }
      return scalar(`${path}${key}`, value);
    });
  });
  const stamp = options.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const messageHeader = (id: string) => ({ ID: id, CreationDateTime: stamp });
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@' }).build({
      'soapenv:Envelope': {
        '@xmlns:soapenv': SOAP_ENV,
        '@xmlns:sfin': SFIN,
        'soapenv:Header': '',
        'soapenv:Body': {
          'sfin:JournalEntryBulkCreateRequest': {
            MessageHeader: messageHeader(`B${options.messageId}`.slice(0, 35)),
            JournalEntryCreateRequest: { MessageHeader: messageHeader(options.messageId), JournalEntry: entry },
          },
        },
      },
    })
  );
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  processEntities: true,
  isArray: (name) => name === 'Item' || name === 'JournalEntryCreateConfirmation',
});

export type JournalEntryConfirmation =
  | { posted: true; accountingDocument: string; companyCode: string; fiscalYear: string; log: string[] }
  | { posted: false; log: string[] };

const textOf = (v: unknown): string => (typeof v === 'string' ? v : isObject(v) && typeof v['#text'] === 'string' ? v['#text'] : '');

function parse(text: string): Json | undefined {
  // A SOAP message never has a DTD; refusing one keeps entity-expansion tricks of a hostile endpoint out.
  if (/<!DOCTYPE/i.test(text) || XMLValidator.validate(text) !== true) return undefined;
  const doc = parser.parse(text) as Json;
  const body = isObject(doc.Envelope) ? doc.Envelope.Body : undefined;
  return isObject(body) ? body : undefined;
}

/**
 * SAP's answer to the bulk request: the document number, company code and fiscal year when posted;
 * otherwise SAP's log. A document number of zeros, or a log with an error (severity 3), is a refusal.
 * Undefined when the text is not a confirmation envelope at all.
 */
export function readJournalEntryConfirmation(text: string): JournalEntryConfirmation | undefined {
  const body = parse(text);
  const bulk = body?.JournalEntryBulkCreateConfirmation;
  if (!isObject(bulk)) return undefined;
  const outer = (bulk.JournalEntryCreateConfirmation as unknown[] | undefined)?.[0];
  if (!isObject(outer)) return undefined;
  const inner = (outer.JournalEntryCreateConfirmation as unknown[] | undefined)?.[0];
  const log = isObject(outer.Log) ? outer.Log : {};
  const notes = ((log.Item as unknown[] | undefined) ?? []).filter(isObject).map((i) => `${textOf(i.TypeID)} ${textOf(i.Note)}`.trim());
  const document = isObject(inner) ? textOf(inner.AccountingDocument) : '';
  if (!document || /^0+$/.test(document) || Number(textOf(log.MaximumLogItemSeverityCode)) >= 3) return { posted: false, log: notes };
  return { posted: true, accountingDocument: document, companyCode: textOf((inner as Json).CompanyCode), fiscalYear: textOf((inner as Json).FiscalYear), log: notes };
}

/** A SOAP fault's code (`Client`: the request is wrong; `Server`: SAP's own trouble) and text. */
export function readSoapFault(text: string): { code: string; message: string } | undefined {
  const fault = parse(text)?.Fault;
  if (!isObject(fault)) return undefined;
  return { code: textOf(fault.faultcode).replace(/^.*:/, ''), message: textOf(fault.faultstring) };
}
