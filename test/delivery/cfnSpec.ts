/**
 * Checks a CloudFormation template against CloudFormation's published resource specification, offline: the
 * AWS CDK's database of the CloudFormation registry schemas (@aws-cdk/aws-service-spec, republished as AWS
 * adds resources and properties). The Python cfn-lint cannot be installed here; the npm `cfn-lint` (1.9.7)
 * carries a resource specification from years ago, and `@aws-cdk/cfnspec` stopped at 2.72.1 in 2023 when the
 * CDK moved to this database, so neither knows properties such as DynamoDB's DeletionProtectionEnabled.
 *
 * What is checked: every resource type exists; every resource attribute (DeletionPolicy, DependsOn...) is one
 * CloudFormation knows, with a valid value; every property exists, required ones are present, and each value
 * fits the property's type (strings, numbers, booleans, enumerations where the specification lists them,
 * lists, maps and nested types, recursively); Ref and Fn::GetAtt name resources or parameters of the
 * template, and attributes the target's type has.
 */
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import type { SpecDatabase } from '@aws-cdk/service-spec-types';

export interface SpecProblem {
  path: string;
  message: string;
}

type Json = unknown;
type PropertyType = {
  type: string;
  allowedValues?: Array<string | number>;
  element?: PropertyType;
  types?: PropertyType[];
  reference?: { $ref: string };
};

const TEMPLATE_SECTIONS = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
  'Rules',
]);
const RESOURCE_KEYS = new Set([
  'Type',
  'Properties',
  'DependsOn',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'Condition',
  'Metadata',
  'UpdatePolicy',
  'CreationPolicy',
]);
const DELETION_POLICIES = new Set(['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot']);
const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

let database: Promise<SpecDatabase> | undefined;

/** The specification database, loaded once per process (a few seconds). */
export function specDatabase(): Promise<SpecDatabase> {
  database ??= loadAwsServiceSpec();
  return database;
}

const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isIntrinsic = (value: Json): value is Record<string, Json> =>
  isObject(value) && Object.keys(value).length === 1 && /^(Ref|Fn::.+|Condition)$/.test(Object.keys(value)[0]!);

export async function checkTemplate(template: Record<string, Json>): Promise<SpecProblem[]> {
  const db = await specDatabase();
  const problems: SpecProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  const resources = (isObject(template.Resources) ? template.Resources : {}) as Record<string, Record<string, Json>>;
  const parameters = isObject(template.Parameters) ? Object.keys(template.Parameters) : [];

  for (const section of Object.keys(template)) if (!TEMPLATE_SECTIONS.has(section)) report(section, 'is not a template section');

  const specOf = (type: unknown) => (typeof type === 'string' ? db.lookup('resource', 'cloudFormationType', 'equals', type)[0] : undefined);

  /** Ref and Fn::GetAtt must name something that exists; other intrinsics are checked through their arguments. */
  function checkIntrinsic(value: Record<string, Json>, path: string): void {
    const [name, argument] = Object.entries(value)[0]!;
    if (name === 'Ref') {
      if (typeof argument !== 'string' || !(argument in resources || parameters.includes(argument) || PSEUDO_PARAMETERS.has(argument))) {
        report(path, `Ref to unknown ${JSON.stringify(argument)}`);
      }
      return;
    }
    if (name === 'Fn::GetAtt') {
      const [target, attribute] = typeof argument === 'string' ? argument.split(/\.(.*)/s) : (argument as [unknown, unknown]);
      if (typeof target !== 'string' || !resources[target]) {
        report(path, `Fn::GetAtt of unknown resource ${JSON.stringify(target)}`);
        return;
      }
      const spec = specOf(resources[target]!.Type);
      // A target of an unknown type is reported where its type is.
      if (spec && (typeof attribute !== 'string' || !(attribute in spec.attributes)))
        report(path, `${spec.cloudFormationType} has no attribute ${JSON.stringify(attribute)}`);
      return;
    }
    walkIntrinsicArguments(argument, `${path}.${name}`);
  }

  function walkIntrinsicArguments(value: Json, path: string): void {
    if (isIntrinsic(value)) checkIntrinsic(value, path);
    else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walkIntrinsicArguments(v, `${path}[${i}]`);
    } else if (isObject(value)) for (const [k, v] of Object.entries(value)) walkIntrinsicArguments(v, `${path}.${k}`);
  }

  /** Whether `value` fits `type`; problems found inside a fitting container are reported. */
  function fits(value: Json, type: PropertyType, path: string, reportInside: boolean): boolean {
    if (isIntrinsic(value)) {
      if (reportInside) checkIntrinsic(value, path);
      return true;
    }
    switch (type.type) {
      case 'json':
        if (reportInside) walkIntrinsicArguments(value, path);
        return true;
      case 'string':
      case 'date-time': {
        if (typeof value !== 'string' && typeof value !== 'number') return false;
        if (type.allowedValues && type.allowedValues.length > 0 && !type.allowedValues.includes(value as string)) {
          if (reportInside) report(path, `${JSON.stringify(value)} is not one of ${type.allowedValues.join(', ')}`);
        }
        return true;
      }
      case 'number':
      case 'integer': {
        const n = typeof value === 'string' ? Number(value) : value;
        return typeof n === 'number' && Number.isFinite(n) && (type.type === 'number' || Number.isInteger(n));
      }
      case 'boolean':
        return typeof value === 'boolean' || value === 'true' || value === 'false';
      case 'null':
        return value === null;
      case 'array':
        if (!Array.isArray(value)) return false;
        value.forEach((element, i) => {
          if (!fits(element, type.element!, `${path}[${i}]`, reportInside) && reportInside)
            report(`${path}[${i}]`, `does not fit ${describe(type.element!)}`);
        });
        return true;
      case 'map':
        if (!isObject(value)) return false;
        for (const [k, v] of Object.entries(value)) {
          if (!fits(v, type.element!, `${path}.${k}`, reportInside) && reportInside)
            report(`${path}.${k}`, `does not fit ${describe(type.element!)}`);
        }
        return true;
      case 'tag':
        return isObject(value) && 'Key' in value && 'Value' in value;
      case 'ref': {
        if (!isObject(value)) return false;
        const definition = db.get('typeDefinition', type.reference!.$ref);
        if (reportInside) checkProperties(value, definition.properties as Record<string, { type: PropertyType; required?: boolean }>, path);
        return true;
      }
      case 'union': {
        const match = type.types!.find((t) => fits(value, t, path, false));
        if (!match) return false;
        if (reportInside) fits(value, match, path, true);
        return true;
      }
      default:
        return true;
    }
  }

  function describe(type: PropertyType): string {
    if (type.type === 'array' || type.type === 'map') return `${type.type} of ${describe(type.element!)}`;
    if (type.type === 'ref') return db.get('typeDefinition', type.reference!.$ref).name;
    if (type.type === 'union') return type.types!.map(describe).join(' | ');
    return type.type;
  }

  function checkProperties(
    value: Record<string, Json>,
    spec: Record<string, { type: PropertyType; required?: boolean }>,
    path: string,
  ): void {
    for (const [name, property] of Object.entries(spec)) {
      if (property.required && !(name in value)) report(`${path}.${name}`, 'is required');
    }
    for (const [name, given] of Object.entries(value)) {
      const property = spec[name];
      if (!property) {
        report(`${path}.${name}`, 'is not a property of this type');
        continue;
      }
      if (!fits(given, property.type, `${path}.${name}`, true))
        report(`${path}.${name}`, `${JSON.stringify(given).slice(0, 80)} does not fit ${describe(property.type)}`);
    }
  }

  for (const [id, resource] of Object.entries(resources)) {
    const path = `Resources.${id}`;
    for (const key of Object.keys(resource)) if (!RESOURCE_KEYS.has(key)) report(`${path}.${key}`, 'is not a resource attribute');
    const spec = specOf(resource.Type);
    if (!spec) {
      report(`${path}.Type`, `unknown resource type ${JSON.stringify(resource.Type)}`);
      continue;
    }
    for (const policy of ['DeletionPolicy', 'UpdateReplacePolicy'] as const) {
      if (policy in resource && !DELETION_POLICIES.has(resource[policy] as string))
        report(`${path}.${policy}`, `unknown policy ${JSON.stringify(resource[policy])}`);
    }
    for (const dependency of [resource.DependsOn ?? []].flat()) {
      if (typeof dependency !== 'string' || !(dependency in resources))
        report(`${path}.DependsOn`, `unknown resource ${JSON.stringify(dependency)}`);
    }
    const properties = resource.Properties ?? {};
    if (!isObject(properties)) report(`${path}.Properties`, 'must be an object');
    else checkProperties(properties, spec.properties as Record<string, { type: PropertyType; required?: boolean }>, `${path}.Properties`);
  }
  return problems;
}
