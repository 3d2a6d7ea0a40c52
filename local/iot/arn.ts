/**
 * ARNs of the IoT resources the endpoint serves. AWS accepts targets and
 * template references only as ARNs of the caller's own region and account,
 * so parsing also tells whether an ARN could name one of our resources.
 */

export type IotResourceType = 'job' | 'jobtemplate' | 'thing' | 'thinggroup' | 'cert';

interface ParsedArn {
  region: string;
  accountId: string;
  resourceType: IotResourceType;
  resourceId: string;
}

const arnPattern = /^arn:aws:iot:([a-z0-9-]+):(\d{12}):(job|jobtemplate|thing|thinggroup|cert)\/(.+)$/;

/** Parses an IoT ARN of one of the resource types the endpoint knows; undefined when it is not one. */
function parseIotArn(arn: string): ParsedArn | undefined {
  const match = arnPattern.exec(arn);
  if (!match) return undefined;
  return {
    region: match[1]!,
    accountId: match[2]!,
    resourceType: match[3] as IotResourceType,
    resourceId: match[4]!,
  };
}

/** Builds the ARNs of one region and account. */
export class ArnFactory {
  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  private arn(type: IotResourceType, id: string): string {
    return `arn:aws:iot:${this.region}:${this.accountId}:${type}/${id}`;
  }

  job(jobId: string): string {
    return this.arn('job', jobId);
  }
  jobTemplate(jobTemplateId: string): string {
    return this.arn('jobtemplate', jobTemplateId);
  }
  thing(thingName: string): string {
    return this.arn('thing', thingName);
  }
  thingGroup(thingGroupName: string): string {
    return this.arn('thinggroup', thingGroupName);
  }
  certificate(certificateId: string): string {
    return this.arn('cert', certificateId);
  }

  /** The resource id an ARN names when it is of `type` and of this region and account, else undefined. */
  idOf(arn: string, type: IotResourceType): string | undefined {
    const parsed = parseIotArn(arn);
    if (!parsed || parsed.resourceType !== type) return undefined;
    if (parsed.region !== this.region || parsed.accountId !== this.accountId) return undefined;
    return parsed.resourceId;
  }
}
